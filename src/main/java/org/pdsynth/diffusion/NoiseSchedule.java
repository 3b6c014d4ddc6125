package org.pdsynth.diffusion;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * A discrete variance-preserving noise schedule over t = 0..T-1:
 * {@code x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps}, alpha_bar decreasing from
 * about 1 at t = 0 to about 0 at t = T-1. What samplers, training draws and loss weights need of
 * it: alpha_bar, beta, the signal-to-noise ratio {@code SNR_t = alpha_bar_t / (1 - alpha_bar_t)}
 * and its log (Kingma et al. 2021, arXiv 2107.00630, "Variational diffusion models").
 *
 * <p>Schedules are registered by name in {@link #of(String, int)}; a new schedule is one class
 * (or lambda) and one line there.
 */
public interface NoiseSchedule {
    /** T, the number of discrete steps. */
    int timesteps();

    /** alpha_bar_t, t in 0..T-1, in (0, 1). */
    double alphaBar(int t);

    /** beta_t = 1 - alpha_bar_t / alpha_bar_{t-1} (alpha_bar_{-1} = 1). */
    default double beta(int t) {
        return 1 - alphaBar(t) / (t == 0 ? 1.0 : alphaBar(t - 1));
    }

    /** SNR_t = alpha_bar_t / (1 - alpha_bar_t). */
    default double snr(int t) {
        double ab = alphaBar(t);
        return ab / (1 - ab);
    }

    /** lambda_t = log SNR_t (natural log). */
    default double logSnr(int t) {
        return Math.log(snr(t));
    }

    /** The registered schedules: name -> factory of T. */
    Map<String, IntFunction<NoiseSchedule>> REGISTRY = registry();

    private static Map<String, IntFunction<NoiseSchedule>> registry() {
        Map<String, IntFunction<NoiseSchedule>> m = new TreeMap<>();
        m.put("cosine", CosineSchedule::new);
        m.put("linear", LinearSchedule::new);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The schedule registered as {@code name} with T = {@code timesteps}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    static NoiseSchedule of(String name, int timesteps) {
        IntFunction<NoiseSchedule> f = REGISTRY.get(name);
        if (f == null) throw new IllegalArgumentException("unknown noise schedule '" + name + "' (known: " + String.join(", ", REGISTRY.keySet()) + ")");
        return f.apply(timesteps);
    }
}
