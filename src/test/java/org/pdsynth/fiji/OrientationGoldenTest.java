package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import ij.ImagePlus;
import java.util.Map;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/**
 * The displayed hyperstack of real files against nibabel: {@code as_closest_canonical} (RAS+)
 * drawn with rows from anterior to posterior ({@code scripts/golden/orientation_golden.py}, values
 * in {@code orientation-golden.json}). Pixel values at corners, centre, maximum and random
 * positions; for axis-aligned affines also the status-bar x, y, z against nibabel's world
 * coordinates of the voxel.
 */
class OrientationGoldenTest {
    @Test
    void displayedPixelsAndStatusBarMatchNibabelsCanonicalView() throws Exception {
        JsonObject g = TestData.golden("orientation-golden.json");
        int files = 0;
        for (Map.Entry<String, JsonElement> e : g.getAsJsonObject("files").entrySet()) {
            String name = e.getKey();
            JsonObject f = e.getValue().getAsJsonObject();
            NiftiImage img = NiftiReader.read(TestData.file(name, f.get("sha256").getAsString()));
            RandomAccessibleInterval<FloatType> first = img.data().numDimensions() > 3 ? Views.hyperSlice(img.data(), 3, 0) : img.data();
            ImagePlus imp = ImagePlusConverter.toImagePlus(first, img.geometry(), name, FourthAxis.TIME);
            JsonArray dims = f.getAsJsonArray("dims");
            assertEquals(dims.get(0).getAsInt(), imp.getWidth(), name + " width");
            assertEquals(dims.get(1).getAsInt(), imp.getHeight(), name + " height");
            assertEquals(dims.get(2).getAsInt(), imp.getNSlices(), name + " slices");
            boolean oblique = f.get("oblique").getAsBoolean();
            for (JsonElement p : f.getAsJsonArray("pixels")) {
                JsonArray a = p.getAsJsonArray(), at = a.get(0).getAsJsonArray(), world = a.get(2).getAsJsonArray();
                int col = at.get(0).getAsInt(), row = at.get(1).getAsInt(), slice = at.get(2).getAsInt();
                double want = a.get(1).isJsonNull() ? Double.NaN : a.get(1).getAsDouble();
                imp.setSlice(slice + 1);
                String where = name + " (" + col + ", " + row + ", " + slice + ")";
                float got = imp.getProcessor().getf(col, row);
                if (Double.isNaN(want)) assertEquals(Float.NaN, got, where + " value (NaN)");
                else assertEquals(want, got, 1e-5 * Math.abs(want) + 1e-6, where + " value");
                if (oblique) continue;
                assertEquals(world.get(0).getAsDouble(), imp.getCalibration().getX(col), 1e-3, where + " status-bar x");
                assertEquals(world.get(1).getAsDouble(), imp.getCalibration().getY(row, imp.getHeight()), 1e-3, where + " status-bar y");
                assertEquals(world.get(2).getAsDouble(), imp.getCalibration().getZ(slice), 1e-3, where + " status-bar z");
            }
            files++;
        }
        assertEquals(8, files);
    }
}
