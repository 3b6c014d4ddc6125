package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.pdsynth.model.PredictionType;

/**
 * Samplers against an analytic denoiser, no network: for data x0 ~ N(mu, s^2) per voxel the exact
 * posterior mean under {@code x_t = sqrt(ab) x0 + sqrt(1 - ab) eps} is
 * <pre>
 *   E[x0 | x_t] = mu + sqrt(ab) s^2 / (ab s^2 + 1 - ab) (x_t - sqrt(ab) mu)
 * </pre>
 * (Gaussian conditioning). Deterministic DDIM with it integrates the probability-flow ODE, so its
 * samples over many voxels must have mean mu and variance s^2, with an error that shrinks as the
 * number of steps grows. This checks the DDIM update rule against the theory, not against itself.
 */
class DdimAnalyticTest {
    static final double MU = 0.2, S = 0.3;
    static final int VOXELS = 200_000;

    static Denoiser gaussianPosteriorMean(NoiseSchedule schedule) {
        return (xt, t, x0) -> {
            double ab = schedule.alphaBar(t), sa = Math.sqrt(ab);
            double gain = sa * S * S / (ab * S * S + 1 - ab);
            for (int v = 0; v < xt.length; v++) x0[v] = (float) (MU + gain * (xt[v] - sa * MU));
        };
    }

    /** |mean - mu| + |var - s^2| of DDIM samples with {@code steps} steps. */
    static double[] moments(Sampler sampler, NoiseSchedule schedule) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[VOXELS];
        for (int v = 0; v < VOXELS; v++) x[v] = (float) rng.nextGaussian();
        sampler.sample(gaussianPosteriorMean(schedule), schedule, x, rng, null, null);
        double m = 0, q = 0;
        for (float v : x) m += v;
        m /= VOXELS;
        for (float v : x) q += (v - m) * (v - m);
        return new double[] {m, q / VOXELS};
    }

    @Test
    void deterministicDdimWithTheExactDenoiserRecoversTheDataDistribution() {
        NoiseSchedule cosine = NoiseSchedule.of("cosine", 1000);
        double previous = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {5, 20, 100}) {
            double[] mv = moments(new DdimSampler(steps, 0), cosine);
            double err = Math.abs(mv[0] - MU) + Math.abs(mv[1] - S * S);
            System.out.printf("DDIM %3d steps: mean %.5f (mu %.2f), var %.5f (s^2 %.4f), error %.5f%n", steps, mv[0], MU, mv[1], S * S, err);
            assertTrue(err < previous, steps + " steps: error " + err + " not below the coarser run's " + previous);
            previous = err;
        }
        // sampling error of 2e5 draws: sd(mean) = 0.3 / 447 = 7e-4, sd(var) = 0.09 sqrt(2 / 2e5) = 3e-4
        assertTrue(previous < 0.005, "100 steps: error " + previous);
    }

    @Test
    void dpmSolverPlusPlusWithLogSnrSpacingBeatsDdimAtEqualEvaluations() {
        NoiseSchedule cosine = NoiseSchedule.of("cosine", 1000);
        double previous = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {10, 20, 50}) {
            double[] dpm = moments(new DpmSolverPlusPlus(steps), cosine);
            double[] ddim = moments(new DdimSampler(steps, 0), cosine);
            double eDpm = Math.abs(dpm[0] - MU) + Math.abs(dpm[1] - S * S), eDdim = Math.abs(ddim[0] - MU) + Math.abs(ddim[1] - S * S);
            System.out.printf("%2d steps: DPM-Solver++(2M) var %.5f (error %.5f), DDIM var %.5f (error %.5f)%n", steps, dpm[1], eDpm, ddim[1], eDdim);
            assertTrue(eDpm < eDdim, steps + " steps: DPM-Solver++ error " + eDpm + " not below DDIM's " + eDdim);
            previous = Math.min(previous, eDpm);
        }
        // numpy twin of the same algorithm (scripts/golden/dpm_solver_gaussian.py): 10 steps var 0.0862, 50 steps 0.0912
        assertTrue(previous < 0.005, "best error " + previous);
    }

    @Test
    void ddpmLikeNoiseStillTargetsTheDataDistribution() {
        double[] mv = moments(new DdimSampler(100, 1.0), NoiseSchedule.of("cosine", 1000));
        assertEquals(MU, mv[0], 0.005);
        assertEquals(S * S, mv[1], 0.01);
    }

    @Test
    void predictionTypeConversionsInvertEachOther() {
        SplittableRandom r = new SplittableRandom(3);
        for (PredictionType type : PredictionType.values()) {
            for (double ab : new double[] {0.9999, 0.5, 1e-3, 2.4e-9}) {
                double x0 = r.nextDouble() * 2 - 1, eps = r.nextGaussian();
                double xt = Math.sqrt(ab) * x0 + Math.sqrt(1 - ab) * eps;
                double[] tc = type.targetCoefficients(ab), xc = type.x0Coefficients(ab);
                double out = tc[0] * x0 + tc[1] * eps;          // a perfect network's output
                assertEquals(x0, xc[0] * xt + xc[1] * out, 1e-9 / Math.sqrt(ab), type + " at ab " + ab);
                assertEquals(eps, PredictionType.epsilon(xt, x0, ab), 1e-9, "eps from x0 at ab " + ab);
            }
        }
        assertEquals(PredictionType.V_PREDICTION, PredictionType.parse("v_prediction"));
        assertEquals(PredictionType.SAMPLE, PredictionType.parse("x0"));
    }

    @Test
    void schedulesGiveAlphaBarSnrAndLogSnr() {
        // golden: numpy, b = np.linspace(1e-4, 0.02, 1000); ab = np.cumprod(1 - b) -> ab[0], ab[499], ab[-1]
        NoiseSchedule lin = NoiseSchedule.of("linear", 1000);
        assertEquals(0.9999, lin.alphaBar(0), 1e-15);
        assertEquals(0.07858724288177824, lin.alphaBar(499), 1e-12);
        assertEquals(4.035829765375676e-05, lin.alphaBar(999), 1e-15);
        assertEquals(0.02, lin.beta(999), 1e-15);
        NoiseSchedule cos = NoiseSchedule.of("cosine", 1000);
        for (int t : new int[] {0, 250, 999}) {
            double ab = cos.alphaBar(t);
            assertEquals(ab / (1 - ab), cos.snr(t), 1e-12 * cos.snr(t));
            assertEquals(Math.log(ab / (1 - ab)), cos.logSnr(t), 1e-9);
        }
        assertEquals("unknown noise schedule 'sigmoid' (known: cosine, linear)",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of("sigmoid", 10)).getMessage());
    }
}
