package org.pdsynth.diffusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.pdsynth.nifti.NiftiFiles;

/**
 * The checkpoints of one training run (either stage): a folder of step folders
 * {@code step-NNNNNNN} ({@link Checkpoint} layout, each written atomically), a {@value #LATEST}
 * file naming the newest, and only the newest {@code keep} step folders kept. {@code --resume}
 * continues from {@link #resolveLatest}.
 */
public final class CheckpointStore {
    /** Name of the file in a checkpoint folder that names the newest step checkpoint. */
    public static final String LATEST = "latest";

    private final Path root;
    private final int keep;

    /** @throws IllegalArgumentException for keep &lt; 1 */
    public CheckpointStore(Path root, int keep) {
        if (keep < 1) throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
        this.root = root;
        this.keep = keep;
    }

    public Path root() {
        return root;
    }

    /** Writes the checkpoint of {@code step} through {@code writer} into its step folder, points {@value #LATEST} at it, prunes old ones. */
    public Path save(int step, Checkpoint.Extras writer) throws IOException {
        String name = String.format("step-%07d", step);
        Path target = root.resolve(name);
        writer.write(target);
        NiftiFiles.writeAtomically(root.resolve(LATEST), out -> out.write((name + "\n").getBytes(StandardCharsets.UTF_8)));
        List<Path> steps = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().matches("step-\\d{7}") && Files.isDirectory(p)).sorted().forEach(steps::add);
        }
        for (int i = 0; i < steps.size() - keep; i++) Checkpoint.deleteTree(steps.get(i));
        return target;
    }

    /** True when {@code dir} is a checkpoint or a store with a {@value #LATEST} file. */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(Checkpoint.STATE)) || Files.exists(dir.resolve(LATEST));
    }

    /**
     * {@code dir} itself if it is a checkpoint, else the folder its {@value #LATEST} file names.
     *
     * @throws ParamsFile.ParamsFormatException when it is neither
     */
    public static Path resolveLatest(Path dir) throws IOException {
        if (Files.exists(dir.resolve(Checkpoint.STATE))) return dir;
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) throw new ParamsFile.ParamsFormatException(dir, "is not a checkpoint folder (no state.json and no 'latest' file)");
        return dir.resolve(org.pdsynth.nifti.NiftiFiles.readUtf8(latest).trim());
    }
}
