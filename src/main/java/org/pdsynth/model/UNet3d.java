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
import java.util.List;

/**
 * A conditional 3D U-Net over an image and a condition image on the same grid: the network of
 * both PDS stages ({@link NoiseEstimator}, {@link Refiner} are configurations of it). Layout NCDHW.
 *
 * <p>Sources: the U-Net of Ho, Jain and Abbeel, "Denoising Diffusion Probabilistic Models"
 * (arXiv:2006.11239, appendix B: residual blocks with group normalisation, the sinusoidal time
 * code added inside every residual block, self-attention at a low resolution), as Nichol and
 * Dhariwal, "Improved Denoising Diffusion Probabilistic Models" (arXiv:2102.09672), and their
 * released U-Net use it (time MLP with SiLU, a class embedding added to the time embedding,
 * zero-initialised output convolution), in 3D; the direction and label conditioning, the
 * pattern-aware module and the refiner follow Shen et al., "Pattern-Aware Diffusion Synthesis of
 * fMRI/dMRI with Tissue and Microstructural Refinement" (PDS; DESIGN 4.3, 4.4, 4.6).
 *
 * <p>Inputs, in this order ({@link #inputShapes}):
 * <ul>
 *   <li>{@code x} (B, Cx, D, H, W): the image the network maps (x_t for the noise estimator,
 *       x0_hat for the refiner);</li>
 *   <li>{@code c} (B, Cc, D, H, W): the condition image (the source modality);</li>
 *   <li>if the time MLP is on, the time code (B, E), {@link #timeSinusoid} of t;</li>
 *   <li>if there is a direction table of K_d entries, the one-hot direction (B, K_d);</li>
 *   <li>if there is a label table of K_y entries, the one-hot label (B, K_y).</li>
 * </ul>
 * {@link #predict} builds the codes from int arrays. Input channels are not configured: as in
 * DJL's convolutions they come from the input shapes at initialisation (Cx + Cc).
 * Output (B, Cout, D, H, W), Cout = {@link Builder#setOutputChannels}.
 *
 * <p>Embedding, E = {@link Builder#setEmbeddingWidth} wide: {@code e = MLP(code(t)) + D d + Y y},
 * each term present when its part is on; MLP = Linear(E, E), SiLU, Linear(E, E); D (E x K_d) and
 * Y (E x K_y) are learned tables applied as bias-free linear maps of the one-hot codes. Every
 * {@link ResBlock3d} gets silu(e).
 *
 * <p>U-Net, with widths w_0..w_{L-1} ({@link Builder#setLevelWidths}):
 * <pre>
 *   h = conv3(concat(x, c): Cx + Cc -> w_0)
 *   level l = 0..L-1: r x ResBlock(-> w_l)                  (r = resBlocksPerLevel)
 *                     PatternAware3d(w_l) if l is one of the pattern-aware levels
 *                     keep h as skip_l; Downsample3d if l < L-1
 *   middle:           ResBlock(w_{L-1}), SpatialSelfAttention3d, ResBlock(w_{L-1})   (with attention)
 *                     ResBlock(w_{L-1})                                             (without)
 *   level l = L-1..0: h = concat(h, skip_l); r x ResBlock(-> w_l)
 *                     if l > 0: Upsample3d(-> w_{l-1}) to skip_{l-1}'s grid
 *   y = conv3(silu(GroupNorm(h)): w_0 -> Cout)
 *   out = y, or x + y with the residual output (then Cx = Cout)
 * </pre>
 * Grid sizes follow {@link Downsample3d}/{@link Upsample3d}: ceil-halving going down, doubling and
 * cropping the high end going up, so any grid works (48x56x48 -> 24x28x24 -> 12x14x12 -> 6x7x6).
 *
 * <p>The pattern-aware module ({@link PatternAware3d}) sits after the encoder blocks of its level,
 * so both the skip connection and the deeper path see the regional context; its FiLM uses the label
 * embedding Y y (before the sum with the other terms), so it needs the label table.
 *
 * <p>Parameter names (the order of saved weights) are the child names in registration order,
 * each prefixed by DJL with its two-digit registration index ({@code 05inConv_weight}):
 * {@code time1, time2} (time MLP), {@code direction}, {@code label}, {@code inConv},
 * {@code enc<l>_<k>}, {@code down<l>}, the middle ({@code mid1, attention, mid2}, or {@code mid}
 * without attention), {@code dec<l>_<k>}, {@code up<l>}, {@code outNorm}, {@code outConv}, and last
 * {@code patternAware<l>}: registered and initialised after every other block, so a network with
 * the module has the same other parameter names and, for the same seed, the same initial values
 * as without it.
 *
 * <p>Initialisation: DJL's default for weights (He-normal, N(0, 2 / fan_in)) and zero biases,
 * except the output convolution (weights and bias 0: the untrained network outputs 0, with the
 * residual output it is the identity out = x) and the zero-initialised projections inside the
 * attention and pattern-aware blocks, which start as the identity.
 *
 * <p>Memory and speed: activations are closed as soon as the U-Net no longer needs them (a skip
 * once its decoder level has consumed it), so the peak is the live set, not the whole pass (tensors
 * autograd saved for the backward pass stay alive in its graph). Passes with {@code training} false
 * run channels-last ({@link #channelsLast}), about 10% less CPU here, unless
 * {@link Builder#optChannelsLastInference} turns it off.
 */
public class UNet3d extends AbstractBlock {
    private final int outputChannels;
    private final int[] widths;
    private final int embeddingWidth;
    private final int directions;
    private final int labels;
    private final boolean residualOutput;
    private final boolean channelsLastInference;
    private final Linear time1;                       // null without the time MLP
    private final Linear time2;
    private final Linear directionTable;              // null without directions
    private final Linear labelTable;                  // null without labels
    private final Conv3d inConv;
    private final List<List<ResBlock3d>> encoder = new ArrayList<>();
    private final List<Downsample3d> downs = new ArrayList<>();
    private final ResBlock3d mid1;
    private final SpatialSelfAttention3d attention;   // null without middle attention
    private final ResBlock3d mid2;                    // null without middle attention
    private final List<List<ResBlock3d>> decoder = new ArrayList<>(); // index = level
    private final List<Upsample3d> ups = new ArrayList<>();           // index = level (null at 0)
    private final GroupNorm outNorm;
    private final Conv3d outConv;
    private final PatternAware3d[] patternAware;                       // index = level, null where off
    private final RegionFractions atlas;

    /** Builds the blocks from the builder's settings (see {@link Builder#build()}). */
    protected UNet3d(Builder b) {
        b.check();
        outputChannels = b.outputChannels;
        widths = b.widths.clone();
        embeddingWidth = b.embeddingWidth;
        directions = b.directions;
        labels = b.labels;
        residualOutput = b.residualOutput;
        channelsLastInference = b.channelsLastInference;
        int e = embeddingWidth;
        int g = b.groups;
        int levels = widths.length;
        time1 = b.timeMlp ? addChildBlock("time1", Linear.builder().setUnits(e).build()) : null;
        time2 = b.timeMlp ? addChildBlock("time2", Linear.builder().setUnits(e).build()) : null;
        directionTable = directions > 0 ? addChildBlock("direction", Linear.builder().setUnits(e).optBias(false).build()) : null;
        labelTable = labels > 0 ? addChildBlock("label", Linear.builder().setUnits(e).optBias(false).build()) : null;
        inConv = addChildBlock("inConv", Convs.same3(widths[0]));
        int ch = widths[0];
        for (int l = 0; l < levels; l++) {
            List<ResBlock3d> blocks = new ArrayList<>();
            for (int r = 0; r < b.resBlocksPerLevel; r++) {
                blocks.add(addChildBlock("enc" + l + "_" + r, new ResBlock3d(ch, widths[l], g)));
                ch = widths[l];
            }
            encoder.add(blocks);
            if (l < levels - 1) downs.add(addChildBlock("down" + l, new Downsample3d(ch)));
        }
        if (b.attentionHeads > 0) {
            mid1 = addChildBlock("mid1", new ResBlock3d(ch, ch, g));
            attention = addChildBlock("attention", new SpatialSelfAttention3d(ch, b.attentionHeads, g));
            mid2 = addChildBlock("mid2", new ResBlock3d(ch, ch, g));
        } else {
            mid1 = addChildBlock("mid", new ResBlock3d(ch, ch, g));
            attention = null;
            mid2 = null;
        }
        for (int l = 0; l < levels; l++) {
            decoder.add(null);
            ups.add(null);
        }
        for (int l = levels - 1; l >= 0; l--) {
            List<ResBlock3d> blocks = new ArrayList<>();
            int in = ch + widths[l];
            for (int r = 0; r < b.resBlocksPerLevel; r++) {
                blocks.add(addChildBlock("dec" + l + "_" + r, new ResBlock3d(in, widths[l], g)));
                in = widths[l];
            }
            decoder.set(l, blocks);
            ch = widths[l];
            if (l > 0) {
                ups.set(l, addChildBlock("up" + l, new Upsample3d(widths[l - 1])));
                ch = widths[l - 1];
            }
        }
        outNorm = addChildBlock("outNorm", new GroupNorm(g));
        outConv = addChildBlock("outConv", Convs.same3(outputChannels));
        outConv.setInitializer(Initializer.ZEROS, p -> true);
        patternAware = new PatternAware3d[levels];  // registered last (see the class comment)
        atlas = b.atlas;
        if (atlas != null) {
            for (int l = levels - b.patternAwareLevels; l < levels; l++) {
                patternAware[l] = addChildBlock("patternAware" + l,
                        new PatternAware3d(widths[l], b.patternAwareHeads, atlas.fractions(l), atlas.regions()));
            }
        }
    }

    /** A builder with the defaults named at each option. */
    public static Builder builder() {
        return new Builder();
    }

    /** The atlas of the pattern-aware module, or null when the module is off. */
    public RegionFractions atlas() {
        return atlas;
    }

    /** The pattern-aware block of a level, or null where the module is off. */
    public PatternAware3d patternAware(int level) {
        return patternAware[level];
    }

    /**
     * The network's output for int-coded conditioning: builds the codes (in {@code x}'s manager)
     * and runs the forward pass. {@code x} (B, Cx, D, H, W), {@code c} (B, Cc, D, H, W); {@code t}
     * one time step per sample (null without the time MLP), {@code direction} in 0..K_d-1 and
     * {@code label} in 0..K_y-1 one per sample (null without their table). Returns (B, Cout, D, H, W).
     *
     * @throws IllegalArgumentException when a code is missing, of the wrong length or out of range
     */
    public NDArray predict(ParameterStore ps, NDArray x, NDArray c, int[] t, int[] direction, int[] label, boolean training) {
        int b = Math.toIntExact(x.getShape().get(0));
        NDManager m = x.getManager();
        NDList in = new NDList(x, c);
        if (time1 != null) {
            in.add(Staging.upload(m, timeSinusoid(perSample(t, b, "time step"), embeddingWidth), new Shape(b, embeddingWidth), x.getDevice()));
        }
        if (directionTable != null) in.add(Staging.upload(m, oneHot(perSample(direction, b, "direction"), directions, "direction"), new Shape(b, directions), x.getDevice()));
        if (labelTable != null) in.add(Staging.upload(m, oneHot(perSample(label, b, "label"), labels, "label"), new Shape(b, labels), x.getDevice()));
        return forward(ps, in, training).head();
    }

    private static int[] perSample(int[] v, int batch, String what) {
        if (v == null || v.length != batch) {
            throw new IllegalArgumentException("need one " + what + " per sample: batch " + batch + ", got " + (v == null ? "none" : v.length));
        }
        return v;
    }

    /**
     * Sinusoidal code of the time steps (Ho et al. 2020, after the Transformer's position code),
     * {@code width} wide per sample: for i < width/2, {@code sin(t * f_i)} at i and
     * {@code cos(t * f_i)} at width/2 + i, f_i = 10000^(-i / (width/2)).
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

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.get(0);
        int k = 2;
        NDArray e = null;
        if (time1 != null) {
            e = time2.forward(ps, new NDList(Silu.apply(time1.forward(ps, new NDList(in.get(k++)), training).head())), training).head();
        }
        if (directionTable != null) e = sum(e, directionTable.forward(ps, new NDList(in.get(k++)), training).head());
        NDArray labelEmb = null;
        if (labelTable != null) {
            labelEmb = labelTable.forward(ps, new NDList(in.get(k++)), training).head();
            e = sum(e, labelEmb);
        }
        NDArray emb = Silu.apply(e);

        NDArray cat = NDArrays.concat(new NDList(x, in.get(1)), 1);
        if (!training && channelsLastInference) cat = channelsLast(cat);
        NDArray h = inConv.forward(ps, new NDList(cat), training).head();
        cat.close();
        int levels = widths.length;
        NDArray[] skips = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            for (ResBlock3d r : encoder.get(l)) h = replace(h, r.forward(ps, new NDList(h, emb), training).head(), skips);
            if (patternAware[l] != null) h = replace(h, patternAware[l].forward(ps, new NDList(h, labelEmb), training).head(), skips);
            skips[l] = h;
            if (l < levels - 1) h = downs.get(l).forward(ps, new NDList(h), training).head();
        }
        h = replace(h, mid1.forward(ps, new NDList(h, emb), training).head(), skips);
        if (attention != null) {
            h = replace(h, attention.forward(ps, new NDList(h), training).head(), skips);
            h = replace(h, mid2.forward(ps, new NDList(h, emb), training).head(), skips);
        }
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
        if (!residualOutput) return new NDList(out);
        NDArray sum = x.add(out);
        out.close();
        return new NDList(sum);
    }

    private static NDArray sum(NDArray a, NDArray b) {
        return a == null ? b : a.add(b);
    }

    /**
     * The same (B, C, D, H, W) values stored channels-last (C fastest; the array is a permuted
     * view of a (B, D, H, W, C) tensor); closes {@code x}. PyTorch keeps that layout through
     * convolutions and elementwise ops, and oneDNN then skips its per-convolution layout
     * conversions: inference takes about 10% less CPU here. Training is slower in this layout
     * (about 12%), so only no-grad forward passes use it. Values are unchanged (to float rounding).
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
        return new Shape[] {new Shape(x.get(0), outputChannels, x.get(2), x.get(3), x.get(4))};
    }

    /**
     * Shapes of every forward input for an image of shape {@code x} (B, Cx, D, H, W) and a
     * condition of shape {@code c} (B, Cc, D, H, W): x, c, then the codes that are on.
     */
    public Shape[] inputShapes(Shape x, Shape c) {
        long b = x.get(0);
        List<Shape> s = new ArrayList<>(List.of(x, c));
        if (time1 != null) s.add(new Shape(b, embeddingWidth));
        if (directionTable != null) s.add(new Shape(b, directions));
        if (labelTable != null) s.add(new Shape(b, labels));
        return s.toArray(new Shape[0]);
    }

    /**
     * Creates the parameters in {@code manager} (float32) for inputs shaped as {@link #inputShapes}.
     * The random initialisers draw from PyTorch's global generator, which this seeds with
     * {@code seed} first, so the same seed gives the same initial weights.
     *
     * @throws IllegalArgumentException with the residual output, when Cx differs from Cout
     */
    public void initialize(NDManager manager, int seed, Shape x, Shape c) {
        manager.getEngine().setRandomSeed(seed);
        initialize(manager, DataType.FLOAT32, inputShapes(x, c));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        Shape x = shapes[0];
        if (residualOutput && x.get(1) != outputChannels) {
            throw new IllegalArgumentException("UNet3d with residual output needs an image of " + outputChannels + " channels, got " + x);
        }
        long b = x.get(0);
        Shape emb = new Shape(b, embeddingWidth);
        int k = 2;
        if (time1 != null) {
            time1.initialize(manager, dataType, shapes[k++]);
            time2.initialize(manager, dataType, emb);
        }
        if (directionTable != null) directionTable.initialize(manager, dataType, shapes[k++]);
        if (labelTable != null) labelTable.initialize(manager, dataType, shapes[k++]);
        Shape h = new Shape(b, x.get(1) + shapes[1].get(1), x.get(2), x.get(3), x.get(4));
        inConv.initialize(manager, dataType, h);
        h = inConv.getOutputShapes(new Shape[] {h})[0];
        int levels = widths.length;
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
        if (attention != null) {
            attention.initialize(manager, dataType, h);
            h = init(mid2, manager, dataType, h, emb);
        }
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

    /**
     * Settings of a {@link UNet3d}: {@code set*} are required, {@code opt*} optional. At least one
     * conditioning part (time MLP, direction table, label table) must be on: every residual block
     * adds the embedding.
     */
    public static final class Builder {
        private int outputChannels;
        private int[] widths;
        private int embeddingWidth;
        private int resBlocksPerLevel = 1;
        private int groups = 8;
        private boolean timeMlp;
        private int directions;
        private int labels;
        private int attentionHeads;
        private RegionFractions atlas;
        private int patternAwareLevels;
        private int patternAwareHeads;
        private boolean residualOutput;
        private boolean channelsLastInference = true;

        private Builder() {}

        /** Cout, channels of the output. Required. */
        public Builder setOutputChannels(int channels) {
            outputChannels = channels;
            return this;
        }

        /** Widths w_0..w_{L-1} of the levels, finest first; their number is L. Required. */
        public Builder setLevelWidths(int... widths) {
            this.widths = widths.clone();
            return this;
        }

        /** E, width of the conditioning embedding (and of the time code). Required. */
        public Builder setEmbeddingWidth(int width) {
            embeddingWidth = width;
            return this;
        }

        /** Residual blocks per level on each side of the U-Net (default 1). */
        public Builder optResBlocksPerLevel(int blocks) {
            resBlocksPerLevel = blocks;
            return this;
        }

        /** GroupNorm groups (default 8); every level width must be divisible by it. */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Whether the time step enters through sinusoid + MLP (default off). */
        public Builder optTimeEmbedding(boolean on) {
            timeMlp = on;
            return this;
        }

        /** Size K_d of the learned direction table (default 0: none). */
        public Builder optDirections(int count) {
            directions = count;
            return this;
        }

        /** Size K_y of the learned label table (default 0: none). */
        public Builder optLabels(int count) {
            labels = count;
            return this;
        }

        /**
         * Self-attention with {@code heads} heads in the middle, between two residual blocks
         * (default 0: one residual block, no attention). Heads must divide w_{L-1}.
         */
        public Builder optMiddleAttention(int heads) {
            attentionHeads = heads;
            return this;
        }

        /**
         * The pattern-aware module at the {@code levels} coarsest levels, over {@code atlas} (on
         * the grid the network will see), with {@code heads} attention heads; needs the label table.
         * Default: off.
         */
        public Builder optPatternAware(RegionFractions atlas, int levels, int heads) {
            this.atlas = atlas;
            patternAwareLevels = levels;
            patternAwareHeads = heads;
            return this;
        }

        /** Whether the output is x + y instead of y (default off); x must then have Cout channels. */
        public Builder optResidualOutput(boolean on) {
            residualOutput = on;
            return this;
        }

        /**
         * Whether passes with {@code training} false run channels-last (default on: about 10% less
         * CPU, the same values to float rounding; see {@link UNet3d#channelsLast}).
         */
        public Builder optChannelsLastInference(boolean on) {
            channelsLastInference = on;
            return this;
        }

        /**
         * The network.
         *
         * @throws IllegalArgumentException naming the setting that is missing or does not fit
         */
        public UNet3d build() {
            return new UNet3d(this);
        }

        private void check() {
            require(outputChannels >= 1, "output channels must be >= 1, got " + outputChannels);
            require(widths != null && widths.length >= 1, "needs at least one level width");
            require(groups >= 1, "groups must be >= 1, got " + groups);
            for (int w : widths) require(w >= 1 && w % groups == 0, "level width " + w + " must be >= 1 and divisible by groups = " + groups);
            require(resBlocksPerLevel >= 1, "residual blocks per level must be >= 1, got " + resBlocksPerLevel);
            require(timeMlp || directions > 0 || labels > 0, "needs a time embedding, a direction table or a label table");
            require(embeddingWidth >= 2 && (!timeMlp || embeddingWidth % 2 == 0),
                    "embedding width must be >= 2 (and even with the time embedding), got " + embeddingWidth);
            require(directions >= 0 && labels >= 0, "table sizes must be >= 0");
            require(attentionHeads >= 0, "middle attention heads must be >= 0, got " + attentionHeads);
            if (atlas != null) {
                require(labels > 0, "the pattern-aware module needs the label table");
                require(patternAwareLevels >= 0 && patternAwareLevels <= widths.length,
                        "pattern-aware levels must be in [0, " + widths.length + "], got " + patternAwareLevels);
            }
        }

        private static void require(boolean ok, String what) {
            if (!ok) throw new IllegalArgumentException("UNet3d " + what);
        }
    }
}
