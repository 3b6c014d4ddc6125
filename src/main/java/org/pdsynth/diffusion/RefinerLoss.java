package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Stage-2 loss of the refiner (DESIGN 4.6), per sample b of a batch, with e = R - x0:
 * <pre>
 *   L1_b    = mean |e|
 *   SSIM_b  = mean over channels of 3-D SSIM((R + 1) / 2, (x0 + 1) / 2), data range 1 ({@link DifferentiableSsim})
 *   GDL_b   = (1/3) sum over axes a in {x, y, z} of mean |D_a R - D_a x0| = mean |D_a e|
 *             (D_a: forward difference along a)
 *   PROJ_b  = (1/3) sum over a of mean |P_a R - P_a x0| = mean |P_a e|
 *             (P_a: mean projection along a, a 2-D image per channel)
 *   Lmic_b  = (1 - SSIM_b) + GDL_b + PROJ_b
 *   L       = (1/B) sum_b w_b (L1_b + lambdaMic Lmic_b),   w_b = 1 - gamma_t = 1 - sqrt(1 - alphaBar(t_b))
 * </pre>
 * Both differences and projections are linear, so they are taken of e directly. SSIM is taken
 * on the data mapped to [0, 1] (the metrics' convention, DESIGN 4.8) rather than on [-1, 1] with
 * range 2: the contrast-structure factor is the same either way, but the luminance factor
 * (2 ux uy + C1) / (ux^2 + uy^2 + C1) is ill-conditioned where local means cross 0, which in
 * [-1, 1] data is mid-range; measured on a 12^3 overfit case, the range-2 form stalled training. Arrays are
 * (B, N, D, H, W) in model units [-1, 1]; SSIM needs D, H, W &gt;= 11 and is left out (with a
 * warning-free zero) only when lambdaMic is 0.
 */
public final class RefinerLoss {
    private RefinerLoss() {}

    /** Per-sample loss terms before the sample weights: (B) each. */
    public record Terms(NDArray l1, NDArray mic) {}

    /** L1 and Lmic per sample. */
    public static Terms terms(NDArray refined, NDArray x0, boolean withMic) {
        if (!refined.getShape().equals(x0.getShape()) || refined.getShape().dimension() != 5) {
            throw new IllegalArgumentException("refined " + refined.getShape() + " and x0 " + x0.getShape() + " must be one (B, N, D, H, W) shape");
        }
        NDArray e = refined.sub(x0);
        NDArray l1 = DifferentiableSsim.meanPerRow(e.abs());
        if (!withMic) return new Terms(l1, null);
        Shape s = e.getShape();
        NDArray gdl = null;
        NDArray proj = null;
        for (int axis = 2; axis <= 4; axis++) {
            String lead = ":, ".repeat(axis);
            NDArray d = s.get(axis) > 1
                    ? DifferentiableSsim.meanPerRow(e.get(lead + "1:").sub(e.get(lead + ":{}", s.get(axis) - 1)).abs())
                    : l1.zerosLike();
            gdl = gdl == null ? d : gdl.add(d);
            NDArray p = DifferentiableSsim.meanPerRow(e.mean(new int[] {axis}).abs());
            proj = proj == null ? p : proj.add(p);
        }
        NDArray ssim = DifferentiableSsim.perSample(refined.add(1).mul(0.5), x0.add(1).mul(0.5), 1.0);
        NDArray mic = ssim.neg().add(1).add(gdl.div(3)).add(proj.div(3));
        return new Terms(l1, mic);
    }

    /**
     * The weighted scalar loss; {@code weights} (B) are 1 - gamma_t per sample, in refined's manager.
     */
    public static NDArray compute(NDArray refined, NDArray x0, NDArray weights, double lambdaMic) {
        Terms t = terms(refined, x0, lambdaMic != 0);
        NDArray per = t.mic() == null ? t.l1() : t.l1().add(t.mic().mul(lambdaMic));
        return per.mul(weights).mean();
    }
}
