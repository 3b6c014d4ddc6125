package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.Subject;

/**
 * A tiny paired cohort for end-to-end tests: per subject a bright ellipsoid "brain" whose size
 * varies by subject, seen as a 12-volume fMRI series (slow drift) and a 10-volume DWI (2 b0 +
 * 8 directions, signal falling with b), on a 20 x 18 x 16 grid of 5 mm voxels. Public: the
 * Fiji script tests reuse it (with {@link TinyModel}).
 */
public final class TinyCohort {
    /** The subjects' native grid (not the model grid, so resampling is exercised). */
    public static final Grid NATIVE = Grid.mni(5, new long[] {20, 18, 16}, new double[] {50, -60, -30});
    /** A tiny model grid inside it: 16 x 16 x 16 at 6 mm. */
    public static final Grid MODEL = Grid.mni(6, new long[] {16, 16, 16}, new double[] {45, -55, -30});

    private TinyCohort() {}

    /** Writes {@code subjects} subjects (sub-01, ...) and their participants.csv into {@code dir}; returns the CSV. */
    public static Path write(Path dir, int subjects) throws IOException {
        List<Subject> rows = new ArrayList<>();
        Diagnosis[] dx = Diagnosis.values();
        for (int s = 0; s < subjects; s++) {
            String id = String.format("sub-%02d", s + 1);
            Path d = dir.resolve(id);
            double radius = 4 + 0.5 * s;
            Random r = new Random(s);
            NiftiWriter.write(d.resolve("fmri.nii.gz"), series(radius, 12, r, false), NATIVE.geometry().withTr(2.0));
            NiftiWriter.write(d.resolve("dwi.nii.gz"), series(radius, 10, r, true), NATIVE.geometry());
            double[] b = new double[10];
            double[][] g = new double[10][3];
            for (int i = 2; i < 10; i++) {
                b[i] = 1000;
                double phi = i * 0.7, z = (i - 6) / 4.0;
                g[i] = new double[] {Math.cos(phi) * Math.sqrt(1 - z * z), Math.sin(phi) * Math.sqrt(1 - z * z), z};
            }
            GradientTable.of(b, g).write(d.resolve("dwi.bval"), d.resolve("dwi.bvec"));
            rows.add(new Subject(id, dx[s % 3], d.resolve("fmri.nii.gz"), d.resolve("dwi.nii.gz"), d.resolve("dwi.bval"),
                    d.resolve("dwi.bvec"), null));
        }
        Path csv = dir.resolve("participants.csv");
        new Cohort(rows).write(csv);
        return csv;
    }

    private static Img<FloatType> series(double radius, int n, Random r, boolean dwi) {
        long[] g = NATIVE.dims();
        Img<FloatType> img = ArrayImgs.floats(g[0], g[1], g[2], n);
        Cursor<FloatType> c = img.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            double dx = c.getDoublePosition(0) - 10, dy = c.getDoublePosition(1) - 9, dz = c.getDoublePosition(2) - 8;
            double rr = Math.sqrt(dx * dx + 1.2 * dy * dy + 1.4 * dz * dz);
            int t = c.getIntPosition(3);
            double inside = rr < radius ? 1 : 0;
            double v = dwi ? inside * (t < 2 ? 800 : 300 + 40 * Math.sin(t + dx / 3)) : inside * (1000 + 10 * t + 30 * dz);
            c.get().set((float) (v + 5 * r.nextGaussian()));
        }
        return img;
    }
}
