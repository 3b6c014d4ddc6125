package org.pdsynth.diffusion;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The samplers by name: a new sampler is one class implementing {@link Sampler} and one line in
 * {@link #REGISTRY}.
 */
public final class Samplers {
    /** Name -> factory from the sampling options (steps, eta, ...). */
    private static final Map<String, Function<Sampling.Options, Sampler>> REGISTRY = new TreeMap<>();

    static {
        REGISTRY.put("ddim", o -> new DdimSampler(o.steps(), o.eta()));
        REGISTRY.put("dpm++2m", o -> new DpmSolverPlusPlus(o.steps()));
    }

    private Samplers() {}

    /** The registered names, sorted. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /**
     * The sampler {@code o.sampler()} configured by {@code o}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones)
     */
    public static Sampler create(Sampling.Options o) {
        Function<Sampling.Options, Sampler> f = REGISTRY.get(o.sampler());
        if (f == null) throw new IllegalArgumentException("unknown sampler '" + o.sampler() + "' (known: " + String.join(", ", REGISTRY.keySet()) + ")");
        return f.apply(o);
    }
}
