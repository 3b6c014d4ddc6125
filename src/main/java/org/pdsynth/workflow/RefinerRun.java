package org.pdsynth.workflow;

import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.CheckpointStore;
import org.pdsynth.diffusion.ResidualPairs;
import org.pdsynth.diffusion.RefinerObjective;
import org.pdsynth.diffusion.Trainer;
import org.pdsynth.diffusion.TrainListener;
import org.pdsynth.diffusion.TrainSettings;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;

/**
 * {@code pds train --stages 2}: trains the stage-2 refiner of the model folder {@code OUT} (see
 * {@link TrainingRun}). The frozen denoiser is the folder's EMA model (with its atlas);
 * alignment is the folder's; training and validation subjects are those its descriptor records
 * (else a new split of the cohort by the options' fraction and seed).
 */
final class RefinerRun {
    /** Stage-2 checkpoints, under the model folder's checkpoint folder. */
    static final String CHECKPOINTS = "stage2";

    private RefinerRun() {}

    static List<TrainingRun.Validation> run(TrainingRun.Options o, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        long start = System.nanoTime();
        Path out = o.out();
        ModelFolder.Descriptor d = ModelFolder.readDescriptor(out);
        SubjectAligner aligner = d.aligner();
        Cohort all = Cohort.read(o.cohort());
        List<Subject> train = new ArrayList<>(), val = new ArrayList<>();
        Set<String> trainIds = ids(d.training(), "train_subjects"), valIds = ids(d.training(), "validation_subjects");
        if (trainIds.isEmpty()) {
            List<Subject> both = new ArrayList<>();
            for (Subject s : all.subjects()) if (s.hasFmri() && s.hasDwi()) both.add(s);
            Cohort.Split split = new Cohort(both).splitBySubject(o.validationFraction(), o.splitSeed());
            train.addAll(split.train());
            val.addAll(split.validation());
        } else {
            for (Subject s : all.subjects()) {
                if (trainIds.contains(s.subject())) train.add(s);
                else if (valIds.contains(s.subject()) && s.hasFmri() && s.hasDwi()) val.add(s);
            }
            if (train.size() != trainIds.size())
                throw new IllegalArgumentException(o.cohort() + ": has " + train.size() + " of the " + trainIds.size()
                        + " training subjects recorded in " + out.resolve(ModelFolder.DESCRIPTOR));
        }
        log.accept(String.format(Locale.ROOT, "stage 2 (refiner): %d train, %d validation subjects", train.size(), val.size()));
        CohortPairs pairs = CohortPairs.align(train, aligner, (k, n, s) -> log.accept("aligned " + k + "/" + n + " " + s), cancel);
        CohortPairs valPairs = val.isEmpty() ? null : CohortPairs.align(val, aligner, null, cancel);
        TrainSettings settings = o.refinerSteps() > 0 ? o.settings().with("steps", o.refinerSteps()) : o.settings();
        Path ckpt = out.resolve(ModelFolder.CHECKPOINTS).resolve(CHECKPOINTS);
        try (DiffusionModel eps = ModelFolder.loadModel(out, o.device());
             RefinerModel refiner = RefinerModel.beside(eps.config(), eps.holder());
             Trainer<RefinerObjective> rt = Trainer.refiner(eps, refiner,
                     eps.config().residual() ? ResidualPairs.of(pairs, eps.prior(), eps.config().residualScale()) : pairs, settings)) {
            if (eps.config().regression())
                throw new IllegalArgumentException(out + ": is a one-step regression model; stage 2 refines a diffusion model");
            ModelConfig.RefinerSettings r = eps.config().refiner();
            log.accept(String.format(Locale.ROOT, "refiner: %,d parameters; t_r %d, lambda_mic %.3g; %d steps, batch %d",
                    refiner.holder().parameterCount(), r.maxT(), r.lambdaMic(), settings.steps(), settings.batchSize()));
            if (o.resume() && CheckpointStore.exists(ckpt)) {
                rt.restore(ckpt);
                log.accept("stage 2 resumed at step " + rt.stepsDone() + " from " + ckpt);
            }
            rt.setListener(new TrainListener() {
                @Override
                public void onProgress(Progress p) {
                    log.accept("stage 2 " + p.line());
                }

                @Override
                public void onCheckpoint(int step, Path dir) {
                    log.accept("stage 2 checkpoint " + dir + " (step " + step + ")");
                }
            });
            int done = rt.run(ckpt, cancel);
            refiner.holder().write(out.resolve(RefinerModel.FILE), RefinerModel.KIND, rt.ema().shadows());
            ModelConfig enabled = eps.config().with("refiner", r.enable());
            byte[] cfg = enabled.toJson().getBytes(StandardCharsets.UTF_8);
            NiftiFiles.writeAtomically(out.resolve(Checkpoint.CONFIG), os -> os.write(cfg));
            List<TrainingRun.Validation> results = new ArrayList<>();
            if (valPairs != null && o.validationSubjects() > 0 && (cancel == null || !cancel.getAsBoolean())) {
                refiner.holder().setWeights(rt.ema().shadows());
                results = TrainingRun.validate(eps, refiner, pairs, valPairs, o, log, cancel);
            }
            JsonObject rec = d.training().deepCopy();
            JsonObject s2 = new JsonObject();
            s2.addProperty("steps_done", done);
            s2.add("settings", JsonParser.parseString(settings.toJson()));
            s2.addProperty("seconds", (System.nanoTime() - start) / 1e9);
            s2.addProperty("finished", Instant.now().toString());
            s2.add("validation", TrainingRun.summary(results));
            rec.add("stage2", s2);
            ModelFolder.writeDescriptor(out, new ModelFolder.Descriptor(d.grid(), d.aligner(), d.fmriIntensity(), d.dwiIntensity(), rec));
            log.accept("refiner written to " + out.resolve(RefinerModel.FILE) + (done < settings.steps() ? " (stopped early at step " + done + ")" : ""));
            return results;
        }
    }

    private static Set<String> ids(JsonObject training, String key) throws IOException {
        Set<String> out = new HashSet<>();
        JsonElement e = training == null ? null : training.get(key);
        if (e == null || !e.isJsonArray()) return out;
        JsonArray a = e.getAsJsonArray();
        for (JsonElement x : a) out.add(x.getAsString());
        return out;
    }
}
