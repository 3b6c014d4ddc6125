package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.diffusion.TrainListener;

/** The training-loss plot fed by TrainingRun's log lines, written headless as PNG + CSV. */
class TrainingLossPlotTest {
    @TempDir
    Path dir;

    @Test
    void progressLinesBecomePointsAndTheFilesHoldThem() throws Exception {
        TrainingLossPlot plot = new TrainingLossPlot("model", true);
        // the exact lines TrainingRun logs: Progress.line() for stage 1, "stage 2 " + line() for the refiner
        plot.line("subjects: 4 with both modalities (of 4); 3 train, 1 validation (split by subject, seed 1)");
        plot.line(new TrainListener.Progress(10, 30, 0.5, 0.61, 1.5, Duration.ofSeconds(14)).line());
        plot.line(new TrainListener.Progress(20, 30, 0.4, 0.45, 1.5, Duration.ofSeconds(7)).line());
        plot.line(new TrainListener.Progress(30, 30, 0.3, 0.32, 1.5, Duration.ZERO).line());
        plot.line("validation sub-004 fmri->dwi: PSNR 18.25 dB SSIM 0.6100 (template 17.00 dB / 0.6000)");
        plot.line("stage 2 " + new TrainListener.Progress(5, 10, 0.2, 0.25, 1, Duration.ZERO).line());
        plot.line("stage 2 " + new TrainListener.Progress(10, 10, 0.1, 0.12, 1, Duration.ZERO).line());
        List<List<double[]>> pts = plot.points();
        assertEquals(3, pts.get(0).size());
        assertArrayEquals(new double[] {20, 0.45}, pts.get(0).get(1), 1e-12);
        assertEquals(2, pts.get(1).size());
        assertArrayEquals(new double[] {10, 0.12}, pts.get(1).get(1), 1e-12);

        Path csv = plot.save(dir.resolve("training-loss.png"));
        assertTrue(ImageIO.read(dir.resolve("training-loss.png").toFile()).getWidth() >= 600);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(dir.resolve("training-loss.csv"), csv);
        assertTrue(rows.get(0).contains("stage_1") && rows.get(0).contains("stage_2"), rows.get(0));
        assertEquals(1 + 3, rows.size(), String.join("\n", rows));
        String[] second = rows.get(2).split(",");
        assertEquals(20, Double.parseDouble(second[0]), 0);
        assertEquals(0.45, Double.parseDouble(second[1]), 1e-6);
    }
}
