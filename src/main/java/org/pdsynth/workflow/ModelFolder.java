package org.pdsynth.workflow;

import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.ParamsFile;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.Ema;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.IntensityMap;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.SubjectAligner;

/**
 * A trained model as a folder, everything synthesis needs:
 * <ul>
 *   <li>{@code config.json} and {@code ema.params}: the denoiser network and its EMA weights
 *       ({@link Checkpoint} format; sampling uses the EMA weights);</li>
 *   <li>{@value #DESCRIPTOR}: the model grid (dims + affine), the alignment it was trained with
 *       (N channels, fMRI skip, dMRI grouping, percentiles), the population intensity map of
 *       each modality (to bring a synthesized volume back to that modality's units) and the
 *       training record (data, seed, steps, validation figures);</li>
 *   <li>{@code atlas.nii.gz} + {@code atlas.txt}: for a pattern-aware model, the atlas it was
 *       trained with on the model grid, so synthesis needs no atlas file from the user;</li>
 *   <li>{@code prior/}: for a residual-mode model, its regression prior (a model folder);</li>
 *   <li>{@code refiner.params}: after stage 2, the refiner's EMA weights ({@link RefinerModel});
 *       applied after sampling when config {@code refiner.enabled} is on;</li>
 *   <li>{@code checkpoints/}: full training checkpoints, for {@code --resume} (optional).</li>
 * </ul>
 * The descriptor is written last, so a folder with a descriptor is complete.
 */
public final class ModelFolder {
    public static final String DESCRIPTOR = "pds-model.json";
    public static final String CHECKPOINTS = "checkpoints";
    private static final String FORMAT = "pds-model";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** What {@value #DESCRIPTOR} holds. */
    public record Descriptor(Grid grid, SubjectAligner aligner, IntensityMap fmriIntensity, IntensityMap dwiIntensity,
            JsonObject training) {
        public IntensityMap intensity(Modality m) {
            return m == Modality.FMRI ? fmriIntensity : dwiIntensity;
        }
    }

    private ModelFolder() {}

    /**
     * Writes config, the EMA weights {@code ema} of {@code m}, the atlas of a pattern-aware model and the
     * descriptor into {@code dir}. A refiner left from an earlier run no longer matches the new
     * denoiser and is deleted (stage 2 makes a new one).
     */
    public static void save(Path dir, DiffusionModel m, Ema ema, Descriptor d) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(RefinerModel.FILE));
        NiftiFiles.writeAtomically(dir.resolve(Checkpoint.CONFIG), out -> out.write(m.config().toJson().getBytes(StandardCharsets.UTF_8)));
        m.holder().write(dir.resolve(Checkpoint.EMA), "ema", ema.shadows());
        Checkpoint.writeAtlas(dir, m);
        writeDescriptor(dir, d);
    }

    /** Writes only the descriptor (e.g. to update the training record). */
    public static void writeDescriptor(Path dir, Descriptor d) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", 1);
        JsonObject g = new JsonObject();
        JsonArray dims = new JsonArray();
        for (long v : d.grid().dims()) dims.add(v);
        g.add("dims", dims);
        JsonArray aff = new JsonArray();
        for (double v : d.grid().geometry().affine()) aff.add(v);
        g.add("affine", aff);
        g.addProperty("xform_code", d.grid().geometry().sformCode());
        o.add("grid", g);
        Segmenter s = d.aligner().segmenter();
        JsonObject a = new JsonObject();
        a.addProperty("channels", s.channels());
        a.addProperty("fmri_skip", s.skip());
        a.addProperty("dwi_grouping", s.grouping().name());
        a.addProperty("low_percentile", d.aligner().lowPercentile());
        a.addProperty("high_percentile", d.aligner().highPercentile());
        a.addProperty("mask_background", d.aligner().maskBackground());
        o.add("alignment", a);
        JsonObject in = new JsonObject();
        in.add("fmri", JsonParser.parseString(d.fmriIntensity().toJson()));
        in.add("dwi", JsonParser.parseString(d.dwiIntensity().toJson()));
        o.add("intensity", in);
        o.add("training", d.training() == null ? new JsonObject() : d.training());
        byte[] b = GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(dir.resolve(DESCRIPTOR), out -> out.write(b));
    }

    /** Reads the descriptor of a model folder; one-line errors name the file. */
    public static Descriptor readDescriptor(Path dir) throws IOException {
        Path f = dir.resolve(DESCRIPTOR);
        try {
            JsonObject o = JsonParser.parseString(NiftiFiles.readUtf8(f)).getAsJsonObject();
            if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString()))
                throw new ParamsFile.ParamsFormatException(f, "is not a PDS model descriptor (format \"" + FORMAT + "\")");
            JsonObject g = o.getAsJsonObject("grid");
            JsonArray dj = g.getAsJsonArray("dims"), aj = g.getAsJsonArray("affine");
            long[] dims = {dj.get(0).getAsLong(), dj.get(1).getAsLong(), dj.get(2).getAsLong()};
            double[] aff = new double[16];
            for (int i = 0; i < 16; i++) aff[i] = aj.get(i).getAsDouble();
            Grid grid = new Grid(dims, Geometry.ofAffine(aff, g.has("xform_code") ? g.get("xform_code").getAsInt() : Geometry.XFORM_MNI, Double.NaN));
            JsonObject a = o.getAsJsonObject("alignment");
            Segmenter seg = new Segmenter(a.get("channels").getAsInt(), a.get("fmri_skip").getAsInt(),
                    Segmenter.DwiGrouping.valueOf(a.get("dwi_grouping").getAsString()));
            SubjectAligner al = new SubjectAligner(grid, seg, a.get("low_percentile").getAsDouble(), a.get("high_percentile").getAsDouble(),
                    a.get("mask_background").getAsBoolean());
            JsonObject in = o.getAsJsonObject("intensity");
            IntensityMap fm = IntensityMap.fromJson(in.get("fmri").toString(), f + " intensity.fmri");
            IntensityMap dm = IntensityMap.fromJson(in.get("dwi").toString(), f + " intensity.dwi");
            return new Descriptor(grid, al, fm, dm, o.has("training") ? o.getAsJsonObject("training") : new JsonObject());
        } catch (NoSuchFileException e) {
            throw new ParamsFile.ParamsFormatException(f, "is missing: " + dir + " is not a trained PDS model folder");
        } catch (JsonParseException | IllegalStateException | NullPointerException | IllegalArgumentException
                | UnsupportedOperationException e) {
            throw new ParamsFile.ParamsFormatException(f, "is not a valid PDS model descriptor (" + e.getMessage() + ")");
        }
    }

    /** The model for sampling (EMA weights) of a model folder. */
    public static DiffusionModel loadModel(Path dir) throws IOException {
        return loadModel(dir, null);
    }

    /**
     * The model for sampling (EMA weights) of a model folder on the device named {@code device}
     * (auto, cpu, gpu, gpu:N; null: the CPU).
     *
     * @throws ParamsFile.ParamsFormatException when the folder is not a model folder (naming the file)
     * @throws IllegalArgumentException for an unknown device or a GPU PyTorch does not see
     */
    public static DiffusionModel loadModel(Path dir, String device) throws IOException {
        readDescriptor(dir);
        try {
            return Checkpoint.loadModel(dir, true, device);
        } catch (IllegalArgumentException e) {
            // e.g. an atlas whose grid is not config.json's: the message names neither the folder nor the file
            // (a device the machine lacks is not the folder's fault: that message stays as it is)
            if (e.getMessage() == null || e.getMessage().contains(dir.toString()) || e.getMessage().startsWith("device ")) throw e;
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Files of a model folder needed to sample (what a release ships). */
    public static List<String> samplingFiles() {
        return List.of(Checkpoint.CONFIG, Checkpoint.EMA, DESCRIPTOR);
    }

    /**
     * Files a model folder has for sampling when its model uses them: atlas, refiner, and for a
     * residual-mode model its regression prior, itself a model folder (its own sampling files and
     * atlas: a pattern-aware prior needs it).
     */
    public static List<String> optionalSamplingFiles() {
        List<String> files = new java.util.ArrayList<>(List.of(Checkpoint.ATLAS, Checkpoint.ATLAS_LABELS, RefinerModel.FILE));
        for (String f : List.of(Checkpoint.ATLAS, Checkpoint.ATLAS_LABELS, Checkpoint.CONFIG, Checkpoint.EMA, DESCRIPTOR))
            files.add(Checkpoint.PRIOR + "/" + f);
        return List.copyOf(files);
    }

    static String pretty(JsonObject o) {
        return GSON.toJson(o);
    }

    /**
     * Copies a model folder's sampling files (not its checkpoints) into {@code dest}, each file
     * atomically and the descriptor last, so a half-copied folder is never taken for a model.
     */
    public static void copy(Path from, Path dest) throws IOException {
        Files.createDirectories(dest);
        List<String> files = new java.util.ArrayList<>(optionalSamplingFiles());
        files.addAll(samplingFiles());
        files.remove(DESCRIPTOR);
        files.add(DESCRIPTOR);
        for (String f : files) {
            Path src = from.resolve(f);
            if (!Files.isRegularFile(src)) {
                if (samplingFiles().contains(f)) throw new IllegalArgumentException(src + " is missing: " + from + " is not a trained PDS model folder");
                continue;
            }
            Files.createDirectories(dest.resolve(f).getParent());
            Path tmp = Files.createTempFile(dest.resolve(f).getParent(), "." + dest.resolve(f).getFileName(), ".part");
            Files.copy(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dest.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
