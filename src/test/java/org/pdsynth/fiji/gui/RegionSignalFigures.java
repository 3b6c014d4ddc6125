package org.pdsynth.fiji.gui;

import java.nio.file.Path;
import org.pdsynth.workflow.Figures;
import org.pdsynth.fiji.Plots;

/**
 * Redraws an experiment's region-signal figures from its {@code regions.csv} with the plots the
 * experiment draws (no rerun): {@code region-signal-<target>-<group>.png} and {@code .csv} into
 * OUT_DIR. Used for docs/results/experiment-small. Test code: not shipped.
 *
 * <pre>java -Djava.awt.headless=true -cp "target/classes:target/test-classes:target/lib/*" \
 *     org.pdsynth.fiji.gui.RegionSignalFigures REGIONS_CSV OUT_DIR</pre>
 */
public final class RegionSignalFigures {
    private RegionSignalFigures() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RegionSignalFigures REGIONS_CSV OUT_DIR");
            System.exit(2);
        }
        Figures figures = Plots.experimentFigures();
        for (Figures.RegionSignal f : Figures.RegionSignal.read(Path.of(args[0]))) {
            Path png = Path.of(args[1]).resolve("region-signal-" + f.target() + "-" + f.group() + ".png");
            figures.regionSignal(png, f);
            System.out.println(png);
        }
    }
}
