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
import net.imglib2.view.Views;
import org.pdsynth.volume.Atlas;
import org.pdsynth.diffusion.AtlasWeightMap;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;
import org.pdsynth.volume.VolumeArrays;

/**
 * Per-region signal by diagnostic group (paper Fig. 5): for each target modality, the mean of
 * one channel inside each disease-related atlas region ({@link AtlasWeightMap#DEFAULT_REGIONS}
 * present in the atlas; else the atlas' first 12 regions), averaged over the test subjects of
 * each group, for the truth and for every method's synthesis. Units: the modality's intensity
 * units. Writes {@code regions.csv} (the numbers) and hands each target and group to
 * {@link Figures#regionSignal} as {@code region-signal-<target>-<group>.png}.
 */
final class RegionSignals {
    private RegionSignals() {}

    static void write(Path out, Path atlasFile, List<Subject> test, Map<String, Volume> truth, List<Method> methods, Path synthRoot,
            int channel, Figures figures) throws IOException {
        StringBuilder csv = new StringBuilder("target,group,region,source,mean,subjects\n");
        for (Modality target : Modality.values()) {
            String name = target == Modality.DWI ? "dwi" : "fmri";
            Volume first = truth.get(test.get(0).subject() + "/" + target);
            Atlas atlas = Atlas.read(atlasFile, first.grid());
            List<Integer> regions = regions(atlas);
            List<String> sources = new ArrayList<>();
            sources.add("truth");
            for (Method m : methods) sources.add(m.title());
            // sums[group][source][region], counts[group]
            Map<Diagnosis, double[][]> sums = new LinkedHashMap<>();
            Map<Diagnosis, Integer> counts = new LinkedHashMap<>();
            for (Subject s : test) {
                if (s.label() == null) continue;
                Volume t = truth.get(s.subject() + "/" + target);
                if (!t.grid().sameAs(first.grid(), 1e-6)) atlas = Atlas.read(atlasFile, t.grid());
                double[][] acc = sums.computeIfAbsent(s.label(), d -> new double[sources.size()][regions.size()]);
                counts.merge(s.label(), 1, Integer::sum);
                add(acc[0], means(t.data(), atlas, regions, channel));
                for (int k = 0; k < methods.size(); k++) {
                    Img<FloatType> v = NiftiReader.read(CohortCompletion.outputFile(synthRoot.resolve(methods.get(k).key()), s.subject(), target)).data();
                    add(acc[k + 1], means(v, atlas, regions, channel));
                }
            }
            List<String> regionNames = new ArrayList<>();
            for (int r : regions) regionNames.add(atlas.regions().get(r).name());
            Map<Diagnosis, double[][]> means = new LinkedHashMap<>();
            for (Diagnosis d : Diagnosis.values()) {
                if (!sums.containsKey(d)) continue;
                double[][] m = sums.get(d);
                int n = counts.get(d);
                for (double[] row : m) for (int r = 0; r < row.length; r++) row[r] /= n;
                means.put(d, m);
                for (int k = 0; k < sources.size(); k++)
                    for (int r = 0; r < regions.size(); r++)
                        csv.append(String.format(Locale.ROOT, "%s,%s,%s,\"%s\",%.6g,%d%n", name, d, regionNames.get(r), sources.get(k), m[k][r], n));
            }
            for (Map.Entry<Diagnosis, double[][]> e : means.entrySet())
                figures.regionSignal(out.resolve("region-signal-" + name + "-" + e.getKey() + ".png"),
                        new Figures.RegionSignal(name, channel, e.getKey().toString(), counts.get(e.getKey()), regionNames, sources, e.getValue()));
        }
        NiftiFiles.writeAtomically(out.resolve("regions.csv"), o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Positions (in the atlas' region list) of the disease regions with voxels on the grid. */
    static List<Integer> regions(Atlas atlas) {
        List<Integer> out = new ArrayList<>();
        for (String want : AtlasWeightMap.DEFAULT_REGIONS)
            for (int r = 0; r < atlas.size(); r++)
                if (atlas.regions().get(r).name().equals(want) && atlas.voxels(r) > 0) out.add(r);
        for (int r = 0; out.isEmpty() && r < atlas.size(); r++) if (atlas.voxels(r) > 0 && r < 12) out.add(r);
        return out;
    }

    /** Mean of one channel of an (x, y, z, channel) volume inside each region. */
    static double[] means(Img<FloatType> v, Atlas atlas, List<Integer> regions, int channel) {
        float[] x = VolumeArrays.copyOf(Views.hyperSlice(v, 3, channel));
        double[] sum = new double[atlas.size()];
        for (int i = 0; i < x.length; i++) {
            int r = atlas.regionOf(i);
            if (r >= 0) sum[r] += x[i];
        }
        double[] out = new double[regions.size()];
        for (int k = 0; k < out.length; k++) out[k] = sum[regions.get(k)] / atlas.voxels(regions.get(k));
        return out;
    }

    private static void add(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }
}
