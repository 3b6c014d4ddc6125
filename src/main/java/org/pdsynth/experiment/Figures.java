package org.pdsynth.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the experiment's figures. The experiment computes the numbers (and writes them as CSV
 * itself); the Fiji layer draws them as ImageJ plots ({@code org.pdsynth.fiji.Plots}), shown in
 * Fiji and written as PNG + CSV headless. {@link #NONE} draws nothing (numbers only).
 */
@FunctionalInterface
public interface Figures {
    /** Draws nothing. */
    Figures NONE = (png, f) -> {};

    /**
     * The per-region signal of one target modality and diagnostic group (paper Fig. 5).
     *
     * @param target   "dwi" or "fmri"
     * @param channel  the channel shown (0-based)
     * @param group    the diagnostic group (NC, MCI, AD)
     * @param subjects test subjects in the group
     * @param regions  atlas region names (x categories)
     * @param sources  "truth", then each method's title
     * @param means    [source][region] mean of the channel inside the region, averaged over the
     *                 group's subjects, in the modality's intensity units
     */
    record RegionSignal(String target, int channel, String group, int subjects, List<String> regions, List<String> sources,
            double[][] means) {
        public RegionSignal {
            regions = List.copyOf(regions);
            sources = List.copyOf(sources);
            if (means.length != sources.size()) throw new IllegalArgumentException(means.length + " rows of means for " + sources.size() + " sources");
        }
    }

    /** Draws {@code f} into {@code png} (and whatever else the implementation writes beside it). */
    void regionSignal(Path png, RegionSignal f) throws IOException;
}
