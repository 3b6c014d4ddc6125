package org.pdsynth.fiji;

import java.io.File;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.pdsynth.phantom.PhantomCohort;
import org.pdsynth.phantom.PhantomOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Generates a paired phantom cohort (fMRI + DWI per subject from one anatomy, NC/MCI/AD disease
 * patterns) with its participants.csv: data anyone can regenerate. See docs/phantom.md.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Simulate Phantom Cohort", headless = true,
        description = "Paired fMRI/dMRI phantom cohort with disease patterns")
public class SimulateCommand extends PdsCommand {
    @Parameter(label = "Output folder", description = "new (or empty) folder for the cohort", style = "directory", persist = false)
    private File out;

    @Parameter(label = "Subjects", min = "1", required = false, persist = false)
    private int subjects = 60;

    @Parameter(label = "Seed", description = "same seed, same bytes", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Grid", choices = {"4mm", "2mm"}, required = false, persist = false)
    private String grid = "4mm";

    @Parameter(label = "fMRI time points", min = "8", required = false, persist = false)
    private int timepoints = 120;

    @Parameter(label = "Diffusion directions", description = "at b = 1000 s/mm^2, besides the b0 volumes", min = "6",
            required = false, persist = false)
    private int directions = 32;

    @Parameter(label = "fMRI SNR", min = "0", required = false, persist = false)
    private double fmriSnr = 100;

    @Parameter(label = "DWI SNR", min = "0", description = "of the b0 signal (Rician noise)", required = false, persist = false)
    private double dwiSnr = 30;

    @Parameter(label = "Noise-free", description = "no thermal/Rician noise (SNR infinite): with the same seed, the same cohort's "
            + "noise-free truth (same anatomy and masks)", required = false, persist = false)
    private boolean noiseFree;

    @Parameter(label = "Atlas folder", description = "aal.nii.gz, JHU and Colin27 from scripts/fetch-test-data (default: procedural brain when absent)",
            style = "directory", required = false, persist = false)
    private File atlasDir;

    @Parameter(type = ItemIO.OUTPUT, label = "Cohort")
    private String cohort;

    @Override
    public void run() {
        try {
            PhantomOptions o = PhantomOptions.defaults(out.toPath()).withSubjects(subjects).withSeed(seed).withGrid(grid)
                    .withTimepoints(timepoints).withDirections(directions).withFmriSnr(fmriSnr).withDwiSnr(dwiSnr);
            if (noiseFree) o = o.noiseFree();
            if (atlasDir != null) o = o.withAtlasDir(atlasDir.toPath());
            PhantomCohort.Result r = PhantomCohort.simulate(o, (done, total, what) -> progress(done, total, "PDS simulate: " + what),
                    cancelled());
            cohort = String.format(Locale.ROOT, "%d subjects (%s anatomy) in %s; manifest %s", r.subjects().size(), r.anatomy(), r.dir(),
                    r.manifest());
        } catch (CancellationException e) {
            cancel("cancelled");
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
