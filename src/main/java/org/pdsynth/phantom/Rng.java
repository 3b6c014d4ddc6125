package org.pdsynth.phantom;

/**
 * A small deterministic random source: SplitMix64 (Steele, Lea and Flood 2014) over a 64-bit
 * state, with uniform doubles in [0, 1) from the top 53 bits and Gaussian deviates by Marsaglia's
 * polar method.
 *
 * <p>Streams are derived from a seed and a list of keys ({@link #of(long, long...)}), so that e.g.
 * every (subject, purpose, slice) gets its own independent stream: results do not depend on how
 * work is split across threads. Same keys give the same sequence on any JVM (integer arithmetic;
 * the polar method uses {@link StrictMath} for log and sqrt).
 */
final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;
    private double spare;
    private boolean hasSpare;

    private Rng(long state) {
        this.state = state;
    }

    /** A stream for {@code seed} and the given keys (e.g. subject index, purpose code, slice). */
    static Rng of(long seed, long... keys) {
        return new Rng(hash(seed, keys));
    }

    /** Mixes a seed and keys into one well-spread 64-bit value. */
    static long hash(long seed, long... keys) {
        long h = mix(seed + GOLDEN);
        for (long k : keys) h = mix(h ^ mix(k + GOLDEN * 3));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * uniform();
    }

    /** Uniform integer in [0, n). */
    int nextInt(int n) {
        return (int) Math.floorMod(nextLong() >>> 1, (long) n);
    }

    /** Standard normal deviate. */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * uniform() - 1;
            v = 2 * uniform() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Normal deviate with the given mean and standard deviation. */
    double gaussian(double mean, double sd) {
        return mean + sd * gaussian();
    }
}
