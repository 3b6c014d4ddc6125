package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;

/**
 * The disease pattern as numbers (paper Fig. 5; {@link DiseasePattern}): per target modality, the
 * features of a subject are the means of every channel in each disease region ({@link
 * RegionSignals#regions}); the pattern is the vector of Cohen's d of AD against NC and of MCI
 * against NC over all (region, channel) features. The reference pattern is the noise-free truth's
 * when a twin is given, else the truth's; every other source (the noisy truth beside a twin, each
 * method's synthesis) is scored by its correlation with it and its relative L1 error. The
 * population template is not scored (the same volume for every subject has no group difference).
 * Writes {@code pattern.csv} (every effect size).
 */
final class PatternScores {
    static final String NOISY_TRUTH = ExperimentRun.NOISY_TRUTH;

    private PatternScores() {}

    /** Agreement per source (method title or {@link #NOISY_TRUTH}) and target. */
    static Map<String, Map<Modality, DiseasePattern.Agreement>> write(Path out, Path atlasFile, List<Subject> test, Map<String, Volume> truth,
            Map<String, Volume> clean, List<Method> methods, Path synthRoot) throws IOException {
        StringBuilder csv = new StringBuilder("target,contrast,region,channel,source,effect_size\n");
        Map<String, Map<Modality, DiseasePattern.Agreement>> result = new LinkedHashMap<>();
        for (Modality target : Modality.values()) {
            String name = target == Modality.DWI ? "dwi" : "fmri";
            Volume first = truth.get(test.get(0).subject() + "/" + target);
            Atlas atlas = Atlas.read(atlasFile, first.grid());
            List<Integer> regions = RegionSignals.regions(atlas);
            int channels = first.channels();
            List<String> sources = new ArrayList<>();
            sources.add(clean.isEmpty() ? "truth" : "noise-free truth");
            if (!clean.isEmpty()) sources.add(NOISY_TRUTH);
            for (Method m : methods) sources.add(m.title());
            List<List<double[]>> features = new ArrayList<>();
            for (int k = 0; k < sources.size(); k++) features.add(new ArrayList<>());
            List<Diagnosis> labels = new ArrayList<>();
            for (Subject s : test) {
                if (s.label() == null) continue;
                Volume t = truth.get(s.subject() + "/" + target);
                if (!t.grid().sameAs(atlas.grid(), 1e-6)) atlas = Atlas.read(atlasFile, t.grid());
                labels.add(s.label());
                int k = 0;
                if (!clean.isEmpty()) features.get(k++).add(features(clean.get(s.subject() + "/" + target).data(), atlas, regions, channels));
                features.get(k++).add(features(t.data(), atlas, regions, channels));
                for (Method m : methods)
                    features.get(k++).add(features(NiftiReader.read(CohortCompletion.outputFile(synthRoot.resolve(m.key()), s.subject(), target)).data(),
                            atlas, regions, channels));
            }
            double[][] d = new double[sources.size()][];
            for (int k = 0; k < sources.size(); k++) {
                double[] ad = DiseasePattern.effectSizes(features.get(k), labels, Diagnosis.AD, Diagnosis.NC);
                double[] mci = DiseasePattern.effectSizes(features.get(k), labels, Diagnosis.MCI, Diagnosis.NC);
                d[k] = new double[ad.length + mci.length];
                System.arraycopy(ad, 0, d[k], 0, ad.length);
                System.arraycopy(mci, 0, d[k], ad.length, mci.length);
                for (int j = 0; j < d[k].length; j++) {
                    int f = j % ad.length;
                    csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,\"%s\",%s%n", name, j < ad.length ? "AD-NC" : "MCI-NC",
                            atlas.regions().get(regions.get(f / channels)).name(), f % channels, sources.get(k),
                            Double.isFinite(d[k][j]) ? String.format(Locale.ROOT, "%.6g", d[k][j]) : ""));
                }
                if (k > 0) result.computeIfAbsent(sources.get(k), x -> new LinkedHashMap<>()).put(target, DiseasePattern.agreement(d[0], d[k]));
            }
        }
        NiftiFiles.writeAtomically(out.resolve("pattern.csv"), o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        return result;
    }

    /** Region means of every channel: entry (region r, channel c) at r * channels + c. */
    private static double[] features(Img<FloatType> v, Atlas atlas, List<Integer> regions, int channels) {
        double[] f = new double[regions.size() * channels];
        for (int c = 0; c < channels; c++) {
            double[] m = RegionSignals.means(v, atlas, regions, c);
            for (int r = 0; r < m.length; r++) f[r * channels + c] = m[r];
        }
        return f;
    }
}
