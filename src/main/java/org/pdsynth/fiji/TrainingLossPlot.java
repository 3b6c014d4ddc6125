package org.pdsynth.fiji;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pdsynth.diffusion.TrainListener;

/**
 * The training loss as an ImageJ plot, fed by the trainer's {@link TrainListener} events: x =
 * optimiser step, y = the mean loss over each report interval, one series per stage (stage 1 noise
 * estimator, stage 2 refiner); validation values ({@link #onValidation}, or the end-of-stage
 * validation PSNR of each held-out subject and direction, {@link #validation}) are listed in the
 * plot. In Fiji the plot window updates while training runs; {@link #save} writes PNG + CSV.
 *
 * <p>{@code TrainingRun} reports through text lines today, so {@link #line} turns its lines back
 * into these events (the {@link TrainListener.Progress#line()} format, {@code "stage 2 "} before
 * the refiner's, and the {@code "validation SUBJECT DIRECTION: PSNR x dB ..."} lines); once the
 * run takes a listener, hand it this object instead.
 */
public final class TrainingLossPlot implements TrainListener {
    private static final Pattern STEP = Pattern.compile("^(stage 2 )?step (\\d+)/(\\d+)\\s+loss (\\S+) \\(mean (\\S+)\\)");
    private static final Pattern VALIDATION = Pattern.compile("^validation (\\S+) (\\S+): PSNR (\\S+) dB SSIM (\\S+) \\(template (\\S+) dB");

    private final String title;
    private final boolean live;
    private final List<double[]> stage1 = new ArrayList<>(), stage2 = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int stage = 1;
    private int lastStep;
    private PlotWindow window;

    /**
     * @param title plot title (e.g. the model folder's name)
     * @param live  show a window that updates on every report (only when {@link Plots#interactive()})
     */
    public TrainingLossPlot(String title, boolean live) {
        this.title = title;
        this.live = live && Plots.interactive();
    }

    @Override
    public synchronized void onProgress(Progress p) {
        (stage == 1 ? stage1 : stage2).add(new double[] {p.step(), p.meanLoss()});
        lastStep = p.step();
        refresh();
    }

    @Override
    public synchronized void onValidation(int step, double value) {
        notes.add(String.format(Locale.ROOT, "validation at step %d: %.4g", step, value));
        refresh();
    }

    /** End-of-stage validation of one held-out subject and direction (PSNR in dB). */
    public synchronized void validation(String subject, String direction, double psnr, double templatePsnr) {
        notes.add(String.format(Locale.ROOT, "stage %d validation %s %s: PSNR %.2f dB (template %.2f dB)", stage, subject, direction,
                psnr, templatePsnr));
        refresh();
    }

    /** Turns one line of {@code TrainingRun}'s log into the events above; other lines are ignored. */
    public void line(String line) {
        Matcher m = STEP.matcher(line);
        if (m.find()) {
            synchronized (this) {
                stage = m.group(1) != null ? 2 : 1;
            }
            onProgress(new Progress(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Double.parseDouble(m.group(4)),
                    Double.parseDouble(m.group(5)), 0, java.time.Duration.ZERO));
            return;
        }
        m = VALIDATION.matcher(line);
        if (m.find()) validation(m.group(1), m.group(2), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(5)));
        else if (line.startsWith("stage 2")) {
            synchronized (this) {
                stage = 2;
            }
        }
    }

    /** Points so far: [stage - 1] -> rows of (step, mean loss). */
    public synchronized List<List<double[]>> points() {
        return List.of(List.copyOf(stage1), List.copyOf(stage2));
    }

    /** The plot of what was reported so far. */
    public synchronized Plot plot() {
        Plot p = new Plot("Training loss " + title, "step", "loss (mean over each report interval)");
        p.setSize(640, 400);
        if (!stage1.isEmpty()) Plots.addSeries(p, 0, "stage 1 (noise estimator)", col(stage1, 0), col(stage1, 1), "connected circle");
        if (!stage2.isEmpty()) Plots.addSeries(p, 1, "stage 2 (refiner)", col(stage2, 0), col(stage2, 1), "connected circle");
        if (stage1.isEmpty() && stage2.isEmpty()) p.add("line", new double[] {0}, new double[] {0});
        p.setLimitsToFit(false);
        Plots.title(p, title + ": training loss, step " + lastStep);
        for (int k = 0; k < notes.size(); k++) p.addLabel(0.02, 0.07 + 0.05 * k, notes.get(k));
        p.addLegend(null, "top-right");
        return p;
    }

    /** Writes the plot as PNG and its data as CSV beside it ({@link Plots#save}). */
    public Path save(Path png) throws IOException {
        return Plots.save(plot(), png);
    }

    private void refresh() {
        if (!live) return;
        Plot p = plot();
        if (window == null || window.isClosed()) window = p.show();
        else window.drawPlot(p);
    }

    private static double[] col(List<double[]> rows, int c) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i)[c];
        return v;
    }
}
