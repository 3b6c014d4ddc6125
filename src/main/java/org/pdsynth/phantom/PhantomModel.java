package org.pdsynth.phantom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical and disease parameters of the phantom. {@link #defaults()} gives the values
 * documented in {@code docs/phantom.md}; change them with the record's {@code with...} copies.
 *
 * <p>Name matching rule (regions, tracts, networks): a label name matches a list entry when it
 * equals the entry or starts with it (so {@code "Hippocampus"} matches {@code Hippocampus_L} and
 * {@code Hippocampus_R}, {@code "Fornix_"} matches both JHU fornix labels).
 *
 * @param diffusion tissue diffusion and b0 signal parameters
 * @param bold fMRI signal parameters
 * @param disease stage effects and the disease-related region and tract lists
 * @param variability between-subject variability
 * @param networks resting-state networks: network name to region-name entries (insertion order
 *     is the order of assignment: a region belongs to the first network that matches it); the
 *     network named {@link #DMN} is the default-mode network whose coupling falls with stage
 */
public record PhantomModel(Diffusion diffusion, Bold bold, Disease disease, Variability variability,
        Map<String, List<String>> networks) {

    /** Name of the default-mode network in {@link #networks()}. */
    public static final String DMN = "DMN";

    public PhantomModel {
        networks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    }

    /**
     * Diffusion tensors and b0 (T2-weighted) signal per tissue. Diffusivities in mm^2/s, FA
     * dimensionless, signals in arbitrary units.
     *
     * @param tractFa FA of white matter inside a labelled tract (axially symmetric tensor)
     * @param tractMd mean diffusivity of tract white matter
     * @param wmFa FA of white matter outside labelled tracts (direction from the nearest tract)
     * @param wmMd mean diffusivity of white matter outside tracts
     * @param gmMd isotropic diffusivity of grey matter
     * @param csfMd isotropic diffusivity of CSF (free water at body temperature)
     * @param s0Gm b0 signal of pure grey matter
     * @param s0Wm b0 signal of pure white matter (also the reference for the DWI SNR)
     * @param s0Csf b0 signal of pure CSF
     */
    public record Diffusion(double tractFa, double tractMd, double wmFa, double wmMd, double gmMd, double csfMd,
            double s0Gm, double s0Wm, double s0Csf) {}

    /**
     * BOLD fMRI signal model. Intensities in arbitrary units; percentages of the local baseline.
     *
     * @param baseGm T2*-weighted baseline of pure grey matter (also the reference for the fMRI SNR)
     * @param baseWm baseline of pure white matter
     * @param baseCsf baseline of pure CSF
     * @param boldPercent standard deviation of the BOLD fluctuation in pure grey matter, % of baseline
     * @param wmWeight BOLD weight of white matter relative to grey matter (CSF has none)
     * @param globalCorrelation share of variance every region takes from one global signal
     * @param networkCorrelation expected correlation between two regions of one network (non-DMN),
     *     global share included
     * @param driftPercent standard deviation of the slow (linear + quadratic) drift, % of baseline
     * @param physioPercent amplitude of cardiac + respiratory fluctuations in tissue, % of baseline
     * @param csfPhysioFactor physiological noise in pure CSF relative to tissue
     * @param unlabelledWeight BOLD amplitude of brain voxels outside every region, relative
     */
    public record Bold(double baseGm, double baseWm, double baseCsf, double boldPercent, double wmWeight,
            double globalCorrelation, double networkCorrelation, double driftPercent, double physioPercent,
            double csfPhysioFactor, double unlabelledWeight) {}

    /**
     * Disease effects by stage. Each subject draws its own value from a normal distribution with
     * the stage mean and the given standard deviation (clipped to a physical range).
     *
     * @param regions disease-related grey-matter regions (atlas names, see the matching rule)
     * @param tracts disease-related white-matter tracts (JHU names, see the matching rule)
     * @param atrophy fraction of grey matter turned into CSF inside the disease regions, in [0, 0.9]
     * @param atrophySd between-subject standard deviation of {@code atrophy}
     * @param faChange relative FA change in the disease tracts (negative = loss), in [-0.9, 0.5]
     * @param faChangeSd between-subject standard deviation of {@code faChange}
     * @param mdChange relative MD change in the disease tracts (positive = rise)
     * @param mdChangeSd between-subject standard deviation of {@code mdChange}
     * @param dmnCorrelation expected correlation between two DMN regions' neural signals
     * @param dmnCorrelationSd between-subject standard deviation of {@code dmnCorrelation}
     * @param dmnAmplitude BOLD amplitude of DMN regions relative to {@link Bold#boldPercent()}
     *     (low-frequency amplitude)
     * @param age mean age in years
     * @param ageSd standard deviation of age in years (clipped to 55..90)
     * @param agingPerYear grey-matter fraction lost everywhere per year above 60
     */
    public record Disease(List<String> regions, List<String> tracts, ByStage atrophy, double atrophySd,
            ByStage faChange, double faChangeSd, ByStage mdChange, double mdChangeSd, ByStage dmnCorrelation,
            double dmnCorrelationSd, ByStage dmnAmplitude, ByStage age, double ageSd, double agingPerYear) {
        public Disease {
            regions = List.copyOf(regions);
            tracts = List.copyOf(tracts);
        }
    }

    /**
     * Between-subject variability.
     *
     * @param deformationMm root-mean-square of the smooth random displacement per axis, mm
     * @param deformationWavelengthMm shortest wavelength of the displacement field, mm (the longest
     *     is twice this)
     * @param scaleSd standard deviation of the global size scale (1 = template size)
     * @param contrastSd relative standard deviation of each tissue's baseline/b0 signal
     * @param biasPercent amplitude (standard deviation) of the smooth multiplicative intensity
     *     bias field, % (drawn separately for fMRI and DWI)
     */
    public record Variability(double deformationMm, double deformationWavelengthMm, double scaleSd,
            double contrastSd, double biasPercent) {}

    /** AAL names of the default disease-related regions (DESIGN.md section 4 item 4). */
    public static final List<String> DISEASE_REGIONS = List.of("Hippocampus", "ParaHippocampal", "Amygdala",
            "Cingulum_Post", "Precuneus", "Temporal_Mid", "Temporal_Inf", "Angular");

    /** JHU names of the default disease-related tracts (cingulum, fornix, uncinate). */
    public static final List<String> DISEASE_TRACTS = List.of("Cingulum_(cingulate_gyrus)", "Cingulum_(hippocampus)",
            "Fornix_", "Uncinate_fasciculus");

    /** The default model (see docs/phantom.md for sources of the values). */
    public static PhantomModel defaults() {
        Map<String, List<String>> nets = new LinkedHashMap<>();
        nets.put(DMN, List.of("Cingulum_Post", "Precuneus", "Angular", "Hippocampus", "ParaHippocampal",
                "Frontal_Sup_Medial", "Frontal_Med_Orb", "Temporal_Mid"));
        nets.put("Sensorimotor", List.of("Precentral", "Postcentral", "Supp_Motor_Area", "Paracentral_Lobule",
                "Rolandic_Oper"));
        nets.put("Visual", List.of("Calcarine", "Cuneus", "Lingual", "Occipital_Sup", "Occipital_Mid",
                "Occipital_Inf", "Fusiform"));
        nets.put("Frontoparietal", List.of("Frontal_Mid", "Frontal_Inf_Tri", "Frontal_Inf_Oper", "Parietal_Sup",
                "Parietal_Inf", "SupraMarginal"));
        nets.put("Salience", List.of("Insula", "Cingulum_Ant", "Cingulum_Mid"));
        return new PhantomModel(
                new Diffusion(0.70, 0.70e-3, 0.45, 0.75e-3, 0.80e-3, 3.0e-3, 900, 750, 1800),
                new Bold(1000, 850, 1250, 1.5, 0.25, 0.09, 0.45, 1.0, 0.3, 4.0, 0.3),
                new Disease(DISEASE_REGIONS, DISEASE_TRACTS, new ByStage(0.0, 0.10, 0.22), 0.03,
                        new ByStage(0.0, -0.07, -0.15), 0.02, new ByStage(0.0, 0.05, 0.10), 0.02,
                        new ByStage(0.60, 0.45, 0.30), 0.05, new ByStage(1.0, 0.9, 0.8),
                        new ByStage(70, 72, 74), 5, 0.003),
                new Variability(2.5, 60, 0.03, 0.05, 3.0),
                nets);
    }

    public PhantomModel withDiffusion(Diffusion d) {
        return new PhantomModel(d, bold, disease, variability, networks);
    }

    public PhantomModel withBold(Bold b) {
        return new PhantomModel(diffusion, b, disease, variability, networks);
    }

    public PhantomModel withDisease(Disease d) {
        return new PhantomModel(diffusion, bold, d, variability, networks);
    }

    public PhantomModel withVariability(Variability v) {
        return new PhantomModel(diffusion, bold, disease, v, networks);
    }

    /** True when {@code name} equals one of {@code entries} or starts with one. */
    static boolean matches(String name, List<String> entries) {
        for (String e : entries) if (name.equals(e) || name.startsWith(e)) return true;
        return false;
    }
}
