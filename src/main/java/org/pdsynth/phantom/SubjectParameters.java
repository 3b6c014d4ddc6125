package org.pdsynth.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * The latent parameters of one simulated subject (everything random about it is derived from
 * {@link #seed}).
 *
 * @param id subject folder name, e.g. {@code sub-001}
 * @param index 0-based subject number
 * @param label NC, MCI or AD
 * @param stage 0 (NC), 1 (MCI), 2 (AD)
 * @param age years
 * @param atrophy fraction of grey matter turned into CSF in the disease regions (ageing excluded)
 * @param faChange relative FA change in the disease tracts (e.g. -0.15 = 15% lower)
 * @param mdChange relative MD change in the disease tracts
 * @param dmnConnectivity expected correlation between the neural signals of two DMN regions
 * @param dmnAmplitude BOLD amplitude of DMN regions relative to the model's BOLD percentage
 * @param scale global size scale of the brain (1 = template)
 * @param contrastFmri per-tissue multipliers (GM, WM, CSF) of the fMRI baseline
 * @param contrastDwi per-tissue multipliers (GM, WM, CSF) of the b0 signal
 * @param seed the subject's random seed
 */
public record SubjectParameters(String id, int index, String label, int stage, double age, double atrophy,
        double faChange, double mdChange, double dmnConnectivity, double dmnAmplitude, double scale,
        double[] contrastFmri, double[] contrastDwi, long seed) {

    static final String[] LABELS = {"NC", "MCI", "AD"};

    /** Stream keys for the subject's random streams. */
    static final long PARAMS = 1, DEFORM = 2, BIAS_FMRI = 3, BIAS_DWI = 4, NETWORK = 5, FMRI_VOXEL = 6, DWI_NOISE = 7,
            FMRI_NOISE = 8;

    /** Subject folder name for 0-based {@code index} among {@code count} subjects: sub-001, ... */
    static String idFor(int index, int count) {
        int digits = Math.max(3, String.valueOf(count).length());
        return "sub-" + String.format("%0" + digits + "d", index + 1);
    }

    /**
     * Balanced stages for {@code count} subjects: count/3 of each (the remainder goes to NC, then
     * MCI), in an order shuffled by the cohort seed.
     */
    static int[] balancedStages(int count, long seed) {
        int[] st = new int[count];
        int per = count / 3, rem = count % 3, k = 0;
        for (int s = 0; s < 3; s++) for (int j = 0; j < per + (s < rem ? 1 : 0); j++) st[k++] = s;
        Rng r = Rng.of(seed, -1);
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = st[i];
            st[i] = st[j];
            st[j] = t;
        }
        return st;
    }

    /** Draws the parameters of subject {@code index} at {@code stage}. */
    static SubjectParameters draw(long cohortSeed, int index, int count, int stage, PhantomModel model) {
        long seed = Rng.hash(cohortSeed, index);
        Rng r = Rng.of(seed, PARAMS);
        PhantomModel.Disease d = model.disease();
        double age = clip(r.gaussian(d.age().at(stage), d.ageSd()), 55, 90);
        age = Math.round(age * 10) / 10.0;
        double atrophy = clip(r.gaussian(d.atrophy().at(stage), d.atrophySd()), 0, 0.9);
        double fa = clip(r.gaussian(d.faChange().at(stage), d.faChangeSd()), -0.9, 0.5);
        double md = clip(r.gaussian(d.mdChange().at(stage), d.mdChangeSd()), -0.5, 2);
        double g = model.bold().globalCorrelation();
        double dmn = clip(r.gaussian(d.dmnCorrelation().at(stage), d.dmnCorrelationSd()), g + 0.01, 0.95);
        double amp = Math.max(0, d.dmnAmplitude().at(stage));
        PhantomModel.Variability v = model.variability();
        double scale = clip(r.gaussian(1, v.scaleSd()), 0.8, 1.2);
        double[] cf = new double[3], cd = new double[3];
        for (int t = 0; t < 3; t++) cf[t] = clip(r.gaussian(1, v.contrastSd()), 0.5, 1.5);
        for (int t = 0; t < 3; t++) cd[t] = clip(r.gaussian(1, v.contrastSd()), 0.5, 1.5);
        return new SubjectParameters(idFor(index, count), index, LABELS[stage], stage, age, round4(atrophy), round4(fa),
                round4(md), round4(dmn), amp, scale, cf, cd, seed);
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** All subjects of a cohort. */
    static List<SubjectParameters> cohort(long seed, int count, PhantomModel model) {
        int[] st = balancedStages(count, seed);
        List<SubjectParameters> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(draw(seed, i, count, st[i], model));
        return out;
    }
}
