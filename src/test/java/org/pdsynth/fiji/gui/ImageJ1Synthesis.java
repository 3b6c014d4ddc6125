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
import org.pdsynth.fiji.SynthesizeDwiCommand;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Entry for scripts/check-imagej-gui: a plain ImageJ 1.x (no ImageJ2, no Fiji) runs one
 * synthesis through the real command (Plugins > PDS > Synthesize dMRI from fMRI) from a macro,
 * {@code call("org.pdsynth.fiji.gui.ImageJ1Synthesis.synthesizeDwi", input, model, out, steps)},
 * and shows the resulting hyperstack. Test code: not shipped.
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
        if (win != null) win.setLocation(10, 130);
        IJ.wait(1000);
        hoverOverCentre(imp);
        String line = String.format(Locale.ROOT, "PDS check: window '%s' hyperstack=%b channels=%d slices=%d frames=%d voxel=%.3f %s; %s",
                win == null ? "" : win.getTitle(), imp.isHyperStack(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames(),
                imp.getCalibration().pixelWidth, imp.getCalibration().getUnit(), report);
        System.out.println(line);
        return line;
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
