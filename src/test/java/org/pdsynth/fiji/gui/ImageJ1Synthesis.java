package org.pdsynth.fiji.gui;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import java.awt.Point;
import java.awt.Robot;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdsynth.workflow.Figures;
import org.pdsynth.fiji.MetricsCommand;
import org.pdsynth.fiji.Plots;
import org.pdsynth.fiji.SynthesizeDwiCommand;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Entry for scripts/check-imagej-gui: a plain ImageJ 1.x (no ImageJ2, no Fiji) runs one
 * synthesis through the real command (Plugins > PDS > Synthesize dMRI from fMRI) from a macro,
 * {@code call("org.pdsynth.fiji.gui.ImageJ1Synthesis.synthesizeDwi", input, model, out, steps)},
 * and shows the resulting hyperstack; then {@code call("...showPlots", input, out, regionsCsv)}
 * opens the ImageJ plot windows: per-channel PSNR and SSIM of the synthesis against the subject's
 * real dMRI (through the real Measure PSNR/SSIM command, when the input sits in a cohort with a
 * participants.csv) and the per-region signal of an experiment's {@code regions.csv}. Test code:
 * not shipped.
 */
public final class ImageJ1Synthesis {
    private ImageJ1Synthesis() {}

    /** Runs the command in a SciJava context, shows its hyperstack zoomed in, hovers the mouse over it; returns a one-line report. */
    public static String synthesizeDwi(String input, String model, String out, String steps) {
        ImagePlus imp;
        String report;
        try (Context context = new Context(CommandService.class)) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("input", new File(input));
            in.put("model", new File(model));
            in.put("out", new File(out));
            in.put("steps", Integer.parseInt(steps));
            CommandModule m = context.service(CommandService.class).run(SynthesizeDwiCommand.class, false, in).get();
            imp = (ImagePlus) m.getOutput("synthetic");
            report = (String) m.getOutput("report");
        } catch (Exception e) {
            System.out.println("PDS check: synthesis failed: " + e);
            return "failed: " + e;
        }
        imp.show();
        ImageWindow win = imp.getWindow();
        imp.setPosition(2, imp.getNSlices() / 2 + 1, 1);
        IJ.run(imp, "Set... ", "zoom=800");
        IJ.resetMinAndMax(imp);
        if (win != null) win.setLocation(10, 40);
        IJ.wait(1000);
        hoverOverCentre(imp);
        String line = String.format(Locale.ROOT, "PDS check: window '%s' hyperstack=%b channels=%d slices=%d frames=%d voxel=%.3f %s; %s",
                win == null ? "" : win.getTitle(), imp.isHyperStack(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames(),
                imp.getCalibration().pixelWidth, imp.getCalibration().getUnit(), report);
        System.out.println(line);
        return line;
    }

    /** Opens the plot windows (see the class comment); returns a one-line report naming them. */
    public static String showPlots(String input, String synthetic, String regionsCsv) {
        StringBuilder shown = new StringBuilder();
        try {
            Path in = Path.of(input).toAbsolutePath();
            Path manifest = in.getParent().getParent().resolve("participants.csv");
            String subject = in.getParent().getFileName().toString();
            if (Files.isRegularFile(manifest) && Cohort.read(manifest).get(subject) != null) {
                Subject s = Cohort.read(manifest).get(subject);
                // the real dMRI aligned to the model's N channels on its own grid, as the reference
                Volume truth = NativeScans.aligned(s, Modality.DWI, Segmenter.defaults());
                Path ref = Files.createTempDirectory("pds-check").resolve(subject + "-dwi-aligned.nii.gz");
                NiftiWriter.write(ref, truth.data(), truth.geometry());
                try (Context context = new Context(CommandService.class)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("reference", ref.toFile());
                    m.put("test", new File(synthetic));
                    if (s.mask() != null) m.put("mask", s.mask().toFile());
                    context.service(CommandService.class).run(MetricsCommand.class, false, m).get();
                }
                place("PSNR per channel", 490, 10);
                place("SSIM per channel", 1085, 10);
                shown.append("per-channel PSNR and SSIM of ").append(subject).append("; ");
            }
            if (regionsCsv != null && !regionsCsv.isEmpty() && Files.isRegularFile(Path.of(regionsCsv))) {
                for (Figures.RegionSignal f : Figures.RegionSignal.read(Path.of(regionsCsv)))
                    if (f.target().equals("dwi") && f.group().equals("AD")) {
                        Plots.show(Plots.regionSignal(f));
                        place("Region signal", 490, 440);
                        shown.append("region signal dwi AD of ").append(regionsCsv);
                    }
            }
        } catch (Exception e) {
            System.out.println("PDS check: plots failed: " + e);
            return "failed: " + e;
        }
        // ImageJ's own window under the hyperstack, and the pointer back on the image, so the status
        // bar shows the world coordinates and value under it
        if (IJ.getInstance() != null) IJ.getInstance().setLocation(10, 640);
        int[] ids = ij.WindowManager.getIDList();
        for (int id : ids == null ? new int[0] : ids) {
            ImagePlus imp = ij.WindowManager.getImage(id);
            if (imp != null && imp.getTitle().startsWith("synthetic-dwi") && imp.getWindow() != null) {
                imp.getWindow().toFront();
                hoverOverCentre(imp);
            }
        }
        IJ.wait(1500);
        String line = "PDS check: plots " + shown;
        System.out.println(line);
        return line;
    }

    /** Moves the newest window whose title contains {@code part} to (x, y). */
    private static void place(String part, int x, int y) {
        IJ.wait(300);
        java.awt.Window found = null;
        for (java.awt.Window w : java.awt.Window.getWindows())
            if (w.isShowing() && w instanceof java.awt.Frame f && f.getTitle().contains(part)) found = w;
        if (found != null) found.setLocation(x, y);
    }

    /** Moves the pointer over the image so ImageJ's status bar shows calibrated coordinates and the value there. */
    private static void hoverOverCentre(ImagePlus imp) {
        try {
            ImageCanvas c = imp.getCanvas();
            Point p = c.getLocationOnScreen();
            new Robot().mouseMove(p.x + c.getWidth() / 2 + 7, p.y + c.getHeight() / 2 + 5);
        } catch (Exception e) {
            System.out.println("PDS check: could not move the pointer: " + e);
        }
    }
}
