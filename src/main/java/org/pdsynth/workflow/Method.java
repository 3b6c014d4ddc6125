package org.pdsynth.workflow;

/**
 * The methods of the comparison (paper Tables 1-2). Two stage-1 diffusion networks are trained
 * (without and with the pattern-aware module DA, which brings the atlas-weighted loss with it);
 * the two "+ stage 2" methods add the refiner (TR/MR) to them, so each ablation differs from its
 * neighbour by exactly one component. The regression baseline is the same U-Net trained one-step
 * with L1 (pix2pix without the adversary).
 *
 * @param key        folder and CSV name
 * @param title      name in the tables
 * @param folder     model folder (under OUT/models) of the network this method samples with;
 *                   a refined method shares it with its unrefined neighbour (the refiner is
 *                   stored beside the denoiser and switched on or off at load time)
 * @param regression the one-step regression U-Net (else a diffusion network)
 * @param patternAware DA module (and atlas-weighted loss) on
 * @param refined    stage-2 refiner applied
 *
 * <p>{@link #PDS} reports the mean of the recipe's K samples (the posterior-mean estimate, best
 * PSNR), {@link #PDS_SAMPLE} sample 0 of the same draw alone (what one realistic sample looks like).
 */
public enum Method {
    L1_UNET("l1-unet", "L1 regression U-Net", "l1-unet", true, false, false),
    DDPM("ddpm", "conditional DDPM", "plain", false, false, false),
    PDS_NO_DA("pds-no-da", "PDS w/o DA", "plain", false, false, true),
    PDS_NO_TRMR("pds-no-trmr", "PDS w/o TR/MR", "pattern-aware", false, true, false),
    PDS("pds", "PDS (full)", "pattern-aware", false, true, true),
    PDS_SAMPLE("pds-sample", "PDS (one sample)", "pattern-aware", false, true, true);

    private final String key, title, folder;
    private final boolean regression, patternAware, refined;

    Method(String key, String title, String folder, boolean regression, boolean patternAware, boolean refined) {
        this.key = key;
        this.title = title;
        this.folder = folder;
        this.regression = regression;
        this.patternAware = patternAware;
        this.refined = refined;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /** Model folder name (under OUT/models). */
    public String folder() {
        return folder;
    }

    public boolean regression() {
        return regression;
    }

    public boolean patternAware() {
        return patternAware;
    }

    public boolean refined() {
        return refined;
    }

    /** True for the method that reports one sample rather than the mean of K. */
    public boolean singleSample() {
        return this == PDS_SAMPLE;
    }
}
