package org.pdsynth.workflow;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.metrics.Microstructure;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Sharpness;
import org.pdsynth.metrics.TensorFit;
import org.pdsynth.metrics.VolumeMetrics;

/**
 * The metrics users need beyond PSNR/SSIM against the (noisy) truth, for one volume judged against
 * one test subject's truth (docs/experiment.md): fidelity against the noise-free truth, sharpness
 * and dMRI microstructure relative to the noise-free truth (or to the truth when no noise-free
 * twin is given).
 *
 * @param clean     PSNR/SSIM/MAE against the noise-free truth (whole volume and in the mask), or null without a twin
 * @param sharpness gradient and spectrum ratios relative to the noise-free truth (else the truth), inside the mask
 * @param micro     FA/MD against the noise-free truth's (else the truth's) tensor fit, or null
 *                  (fMRI target, or DWI channels not in direction grouping)
 */
record Measures(MetricsReport clean, Sharpness sharpness, Microstructure micro) {
    static Measures of(Img<FloatType> truth, Img<FloatType> clean, Img<FloatType> test, Img<FloatType> mask, TensorFit fit) {
        Img<FloatType> ref = clean != null ? clean : truth;
        MetricsReport c = clean == null ? null : mask == null ? VolumeMetrics.compare(clean, test) : VolumeMetrics.compare(clean, test, mask);
        return new Measures(c, Sharpness.compare(ref, test, mask), fit == null ? null : Microstructure.compare(ref, test, fit, mask));
    }

    /** The fidelity report against the noise-free truth inside the mask (whole volume without a mask), or null. */
    MetricsReport cleanInMask() {
        return clean == null ? null : clean.masked() != null ? clean.masked() : clean;
    }
}
