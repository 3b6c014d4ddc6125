package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The noise estimator eps(x_t, c, t, d, y, A): a 3D U-Net over concat(x_t, c) (2N channels) that
 * predicts the N-channel noise of x_t.
 *
 * <p>Embedding: {@code e = MLP(sinusoid(t)) + D[d] + Y[y]}, E = {@code embeddingDim} wide; the
 * sinusoid is E wide (see {@link #timeSinusoid}), the MLP is Linear(E, E), SiLU, Linear(E, E); D
 * (2 x E, direction 0 = fMRI to dMRI, 1 = dMRI to fMRI) and Y (4 x E, NC, MCI, AD, null) are
 * learned tables, applied as bias-free linear maps of one-hot codes. Every ResBlock gets silu(e).
 *
 * <p>U-Net, with widths w_l = baseWidth * mult[l] for levels l = 0..L-1:
 * <pre>
 *   h = conv3(2N -> w_0)
 *   level l = 0..L-1: resBlocksPerLevel x ResBlock(-> w_l); PatternAware3d if l is one of the
 *                     patternAwareLevels coarsest levels and patternAware is on;
 *                     keep h as skip_l; Downsample if l < L-1
 *   middle: ResBlock(w_{L-1}), SpatialSelfAttention3d(heads), ResBlock(w_{L-1})
 *   level l = L-1..0: h = concat(h, skip_l); resBlocksPerLevel x ResBlock(-> w_l);
 *                     if l > 0: Upsample3d(-> w_{l-1}) to skip_{l-1}'s grid
 *   out = conv3(silu(GroupNorm(h)), w_0 -> N)
 * </pre>
 * Grid sizes follow {@link Downsample3d}/{@link Upsample3d}: ceil-halving going down, doubling
 * and cropping the high end going up, so any grid works (48x56x48 -> 24x28x24 -> 12x14x12 -> 6x7x6).
 *
 * <p>The pattern-aware module ({@link PatternAware3d}) sits after the encoder blocks of its level,
 * so both the skip connection and the deeper path see the regional context; its FiLM uses the
 * label embedding Y[y] (before the sum with the time and direction embeddings). Its blocks are
 * registered and initialised after every other block, so a config with the module on has the same
 * other parameter names and, for the same seed, the same initial values as with it off.
 *
 * <p>Initialisation: DJL's default for weights (He-normal: N(0, 2 / fan_in)) and zero biases,
 * except the output convolution and the attention projection, whose weights and biases start at
 * zero: the untrained network predicts eps_hat = 0 and each residual/attention path starts near
 * the identity, which keeps early training stable. (PyTorch's default init differs; only speed,
 * not values, is compared with the PyTorch twin.)
 */
public final class NoiseEstimator extends AbstractBlock {
    private final ModelConfig config;
    private final Linear time1;
    private final Linear time2;
    private final Linear directionTable;
    private final Linear labelTable;
    private final Conv3d inConv;
    private final List<List<ResBlock3d>> encoder = new ArrayList<>();
    private final List<Downsample3d> downs = new ArrayList<>();
    private final ResBlock3d mid1;
    private final SpatialSelfAttention3d attention;
    private final ResBlock3d mid2;
    private final List<List<ResBlock3d>> decoder = new ArrayList<>(); // index = level
    private final List<Upsample3d> ups = new ArrayList<>();           // index = level (null at 0)
    private final GroupNorm outNorm;
    private final Conv3d outConv;
    private final PatternAware3d[] patternAware;                        // index = level, null where off
    private final RegionFractions atlas;

    /** A network without the pattern-aware module; {@code config.patternAware()} must be false. */
    public NoiseEstimator(ModelConfig config) {
        this(config, null);
    }

    /**
     * A network with the pattern-aware module at the {@code patternAwareLevels} coarsest levels
     * when {@code config.patternAware()}; {@code atlas} (on the config's grid) is then required,
     * and ignored otherwise.
     */
    public NoiseEstimator(ModelConfig config, RegionFractions atlas) {
        this.config = config.validate();
        int e = config.embeddingDim();
        int g = config.groups();
        int levels = config.levels();
        time1 = addChildBlock("time1", Linear.builder().setUnits(e).build());
        time2 = addChildBlock("time2", Linear.builder().setUnits(e).build());
        directionTable = addChildBlock("direction", Linear.builder().setUnits(e).optBias(false).build());
        labelTable = addChildBlock("label", Linear.builder().setUnits(e).optBias(false).build());
        inConv = addChildBlock("inConv", Convs.same3(config.width(0)));
        int ch = config.width(0);
        for (int l = 0; l < levels; l++) {
            List<ResBlock3d> blocks = new ArrayList<>();
            for (int r = 0; r < config.resBlocksPerLevel(); r++) {
                blocks.add(addChildBlock("enc" + l + "_" + r, new ResBlock3d(ch, config.width(l), g)));
                ch = config.width(l);
            }
            encoder.add(blocks);
            if (l < levels - 1) downs.add(addChildBlock("down" + l, new Downsample3d(ch)));
        }
        mid1 = addChildBlock("mid1", new ResBlock3d(ch, ch, g));
        attention = addChildBlock("attention", new SpatialSelfAttention3d(ch, config.attentionHeads(), g));
        mid2 = addChildBlock("mid2", new ResBlock3d(ch, ch, g));
        for (int l = 0; l < levels; l++) {
            decoder.add(null);
            ups.add(null);
        }
        for (int l = levels - 1; l >= 0; l--) {
            List<ResBlock3d> blocks = new ArrayList<>();
            int in = ch + config.width(l);
            for (int r = 0; r < config.resBlocksPerLevel(); r++) {
                blocks.add(addChildBlock("dec" + l + "_" + r, new ResBlock3d(in, config.width(l), g)));
                in = config.width(l);
            }
            decoder.set(l, blocks);
            ch = config.width(l);
            if (l > 0) {
                ups.set(l, addChildBlock("up" + l, new Upsample3d(config.width(l - 1))));
                ch = config.width(l - 1);
            }
        }
        outNorm = addChildBlock("outNorm", new GroupNorm(g));
        outConv = addChildBlock("outConv", Convs.same3(config.channels()));
        outConv.setInitializer(Initializer.ZEROS, p -> true);
        // registered last, so every other parameter keeps its name and its initial value
        patternAware = new PatternAware3d[levels];
        if (config.patternAware()) {
            if (atlas == null) throw new IllegalArgumentException("model config 'patternAware' is on but no atlas was given");
            if (!Arrays.equals(atlas.gridZYX(), config.grid())) {
                throw new IllegalArgumentException("atlas grid (Z,Y,X) " + Arrays.toString(atlas.gridZYX())
                        + " differs from the model config 'gridZYX' " + config.gridZYX());
            }
            for (int l = levels - config.patternAwareLevels(); l < levels; l++) {
                patternAware[l] = addChildBlock("patternAware" + l,
                        new PatternAware3d(config.width(l), config.attentionHeads(), atlas.fractions(l), atlas.regions()));
            }
            this.atlas = atlas;
        } else {
            this.atlas = null;
        }
    }

    /** The atlas of the pattern-aware module, or null when the module is off. */
    public RegionFractions atlas() {
        return atlas;
    }

    /** The pattern-aware block of a level, or null where the module is off. */
    public PatternAware3d patternAware(int level) {
        return patternAware[level];
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Predicts the noise. Arrays: {@code xt} and {@code cond} (B, N, D, H, W); {@code t} in
     * [0, T-1], {@code direction} in {0, 1}, {@code label} in {0..3} (3 = null), one per sample.
     * The conditioning arrays are created in {@code xt}'s manager. Returns eps_hat (B, N, D, H, W).
     */
    public NDArray predict(ParameterStore ps, NDArray xt, NDArray cond, int[] t, int[] direction, int[] label, boolean training) {
        checkInputs(xt.getShape(), cond.getShape());
        int b = (int) xt.getShape().get(0);
        if (t.length != b || direction.length != b || label.length != b) {
            throw new IllegalArgumentException("need one t, direction and label per sample: batch " + b
                    + ", got " + t.length + ", " + direction.length + ", " + label.length);
        }
        NDManager m = xt.getManager();
        NDArray sin = m.create(timeSinusoid(t, config.embeddingDim()), new Shape(b, config.embeddingDim()));
        NDArray dir = m.create(oneHot(direction, ModelConfig.DIRECTIONS, "direction"), new Shape(b, ModelConfig.DIRECTIONS));
        NDArray lab = m.create(oneHot(label, ModelConfig.LABELS, "label"), new Shape(b, ModelConfig.LABELS));
        return forward(ps, new NDList(xt, cond, sin, dir, lab), training).head();
    }

    /**
     * Sinusoidal code of the time steps, {@code width} wide per sample: for i < width/2,
     * {@code sin(t * f_i)} at i and {@code cos(t * f_i)} at width/2 + i, f_i = 10000^(-i / (width/2)).
     */
    public static float[] timeSinusoid(int[] t, int width) {
        int half = width / 2;
        float[] out = new float[t.length * width];
        for (int s = 0; s < t.length; s++) {
            for (int i = 0; i < half; i++) {
                double a = t[s] * Math.exp(-Math.log(10000.0) * i / half);
                out[s * width + i] = (float) Math.sin(a);
                out[s * width + half + i] = (float) Math.cos(a);
            }
        }
        return out;
    }

    private static float[] oneHot(int[] v, int classes, String what) {
        float[] out = new float[v.length * classes];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= classes) {
                throw new IllegalArgumentException(what + " must be in 0.." + (classes - 1) + ", got " + v[i]);
            }
            out[i * classes + v[i]] = 1f;
        }
        return out;
    }

    private void checkInputs(Shape xt, Shape cond) {
        int n = config.channels();
        if (xt.dimension() != 5) throw new IllegalArgumentException("x_t must be (B, N, D, H, W), got " + xt);
        if (xt.get(1) != n) {
            throw new IllegalArgumentException("x_t has " + xt.get(1) + " channels but the model expects N = " + n + " (config 'channels')");
        }
        if (cond.dimension() != 5 || cond.get(1) != n) {
            throw new IllegalArgumentException("condition has shape " + cond + " but the model expects N = " + n + " channels (config 'channels')");
        }
        for (int a : new int[] {0, 2, 3, 4}) {
            if (xt.get(a) != cond.get(a)) throw new IllegalArgumentException("x_t " + xt + " and condition " + cond + " differ in shape");
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray xt = in.get(0);
        checkInputs(xt.getShape(), in.get(1).getShape());
        NDArray e = time2.forward(ps, new NDList(Silu.apply(time1.forward(ps, new NDList(in.get(2)), training).head())), training).head();
        e = e.add(directionTable.forward(ps, new NDList(in.get(3)), training).head());
        NDArray labelEmb = labelTable.forward(ps, new NDList(in.get(4)), training).head();
        e = e.add(labelEmb);
        NDArray emb = Silu.apply(e);

        // Activations are closed as soon as the U-Net no longer needs them (skips when their
        // decoder level has consumed them), so peak memory is the live set, not the whole pass;
        // tensors saved for the backward pass stay alive inside the autograd graph.
        NDArray cat = NDArrays.concat(new NDList(xt, in.get(1)), 1);
        if (!training) cat = channelsLast(cat);
        NDArray h = inConv.forward(ps, new NDList(cat), training).head();
        cat.close();
        int levels = config.levels();
        NDArray[] skips = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            for (ResBlock3d r : encoder.get(l)) h = replace(h, r.forward(ps, new NDList(h, emb), training).head(), skips);
            if (patternAware[l] != null) h = replace(h, patternAware[l].forward(ps, new NDList(h, labelEmb), training).head(), skips);
            skips[l] = h;
            if (l < levels - 1) h = downs.get(l).forward(ps, new NDList(h), training).head();
        }
        h = replace(h, mid1.forward(ps, new NDList(h, emb), training).head(), skips);
        h = replace(h, attention.forward(ps, new NDList(h), training).head(), skips);
        h = replace(h, mid2.forward(ps, new NDList(h, emb), training).head(), skips);
        for (int l = levels - 1; l >= 0; l--) {
            NDArray joined = NDArrays.concat(new NDList(h, skips[l]), 1);
            closeUnlessSkip(h, skips);
            skips[l].close();
            skips[l] = null;
            h = joined;
            for (ResBlock3d r : decoder.get(l)) h = replace(h, r.forward(ps, new NDList(h, emb), training).head(), skips);
            if (l > 0) h = replace(h, ups.get(l).forward(ps, new NDList(h, skips[l - 1]), training).head(), skips);
        }
        NDArray last = h;
        NDArray out = Scoped.run(new NDArray[] {last}, () ->
                outConv.forward(ps, new NDList(Silu.apply(outNorm.forward(ps, new NDList(last), training).head())), training).head());
        last.close();
        return new NDList(out);
    }

    /**
     * The same (B, C, D, H, W) values stored channels-last (C fastest; the array is a permuted
     * view of a (B, D, H, W, C) tensor). PyTorch keeps that layout through convolutions and
     * elementwise ops, and oneDNN then skips its per-convolution layout conversions: inference
     * takes about 10% less CPU here. Training is slower in this layout (about 12%), so only
     * no-grad forward passes use it. Values are unchanged (to float rounding).
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        NDArray permuted = x.transpose(0, 2, 3, 4, 1);
        NDArray flat = permuted.flatten();                  // the one copy, in (B, D, H, W, C) order
        NDArray nhwc = flat.reshape(s.get(0), s.get(2), s.get(3), s.get(4), s.get(1));
        NDArray view = nhwc.transpose(0, 4, 1, 2, 3);
        for (NDArray a : new NDArray[] {x, permuted, flat, nhwc}) a.close(); // views keep the storage
        return view;
    }

    /** Closes {@code old} (unless it is a skip still needed) and returns {@code next}. */
    private static NDArray replace(NDArray old, NDArray next, NDArray[] skips) {
        closeUnlessSkip(old, skips);
        return next;
    }

    private static void closeUnlessSkip(NDArray a, NDArray[] skips) {
        for (NDArray s : skips) if (s == a) return;
        a.close();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x};
    }

    /** Shapes of the five forward inputs for a batch of {@code batch} on the config grid. */
    public Shape[] inputShapes(int batch) {
        int[] g = config.grid();
        Shape vol = new Shape(batch, config.channels(), g[0], g[1], g[2]);
        return new Shape[] {vol, vol, new Shape(batch, config.embeddingDim()),
                new Shape(batch, ModelConfig.DIRECTIONS), new Shape(batch, ModelConfig.LABELS)};
    }

    /**
     * Creates the parameters in {@code manager} (float32). The random initialisers draw from
     * PyTorch's global generator, which this seeds with the config's {@code seed} first, so the
     * same config gives the same initial weights.
     */
    public void initialize(NDManager manager) {
        manager.getEngine().setRandomSeed((int) config.seed());
        initialize(manager, DataType.FLOAT32, inputShapes(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        Shape x = shapes[0];
        long b = x.get(0);
        Shape emb = new Shape(b, config.embeddingDim());
        time1.initialize(manager, dataType, shapes[2]);
        time2.initialize(manager, dataType, emb);
        directionTable.initialize(manager, dataType, shapes[3]);
        labelTable.initialize(manager, dataType, shapes[4]);
        long[] size = {x.get(2), x.get(3), x.get(4)};
        Shape h = new Shape(b, 2L * config.channels(), size[0], size[1], size[2]);
        inConv.initialize(manager, dataType, h);
        h = inConv.getOutputShapes(new Shape[] {h})[0];
        int levels = config.levels();
        Shape[] skips = new Shape[levels];
        for (int l = 0; l < levels; l++) {
            for (ResBlock3d r : encoder.get(l)) h = init(r, manager, dataType, h, emb);
            skips[l] = h;
            if (l < levels - 1) {
                downs.get(l).initialize(manager, dataType, h);
                h = downs.get(l).getOutputShapes(new Shape[] {h})[0];
            }
        }
        h = init(mid1, manager, dataType, h, emb);
        attention.initialize(manager, dataType, h);
        h = init(mid2, manager, dataType, h, emb);
        for (int l = levels - 1; l >= 0; l--) {
            h = new Shape(b, h.get(1) + skips[l].get(1), h.get(2), h.get(3), h.get(4));
            for (ResBlock3d r : decoder.get(l)) h = init(r, manager, dataType, h, emb);
            if (l > 0) {
                ups.get(l).initialize(manager, dataType, h, skips[l - 1]);
                h = ups.get(l).getOutputShapes(new Shape[] {h, skips[l - 1]})[0];
            }
        }
        outNorm.initialize(manager, dataType, h);
        outConv.initialize(manager, dataType, h);
        for (int l = 0; l < levels; l++) {       // last: the other weights draw what they would without it
            if (patternAware[l] != null) patternAware[l].initialize(manager, dataType, skips[l], emb);
        }
    }

    private static Shape init(ResBlock3d r, NDManager m, DataType t, Shape h, Shape emb) {
        r.initialize(m, t, h, emb);
        return r.getOutputShapes(new Shape[] {h, emb})[0];
    }
}
