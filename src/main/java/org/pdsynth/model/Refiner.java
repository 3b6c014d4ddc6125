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
 * The stage-2 refiner R (tissue and microstructure refinement, DESIGN 4.6): a small 3D U-Net with
 * no time embedding over concat(x0_hat, c) (2N channels) and a residual output,
 * {@code R = x0_hat + net(x0_hat, c, d)}, N channels, in model units ([-1, 1] data).
 *
 * <p>Layout (config {@code refiner}: widths w_l = baseWidth * channelMultipliers[l]):
 * <pre>
 *   h = conv3(2N -> w_0)
 *   level l = 0..L-1: resBlocksPerLevel x ResBlock(-> w_l); keep h as skip_l; Downsample if l < L-1
 *   middle: ResBlock(w_{L-1})
 *   level l = L-1..0: h = concat(h, skip_l); resBlocksPerLevel x ResBlock(-> w_l);
 *                     if l > 0: Upsample3d(-> w_{l-1}) to skip_{l-1}'s grid
 *   out = conv3(silu(GroupNorm(h)), w_0 -> N), weights and bias initialised to 0
 * </pre>
 * The only embedding is the direction d (a learned 2 x (4 baseWidth) table; one refiner serves
 * both directions, whose channels mean different things), after SiLU, fed to every ResBlock.
 * Because the output convolution starts at zero, the untrained refiner is the identity
 * R = x0_hat. Any grid size works (the U-Net's ceil-halving and cropping rules).
 */
public final class Refiner extends AbstractBlock {
    private final ModelConfig config;
    private final int embeddingDim;
    private final Linear directionTable;
    private final Conv3d inConv;
    private final List<List<ResBlock3d>> encoder = new ArrayList<>();
    private final List<Downsample3d> downs = new ArrayList<>();
    private final ResBlock3d mid;
    private final List<List<ResBlock3d>> decoder = new ArrayList<>();
    private final List<Upsample3d> ups = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv3d outConv;

    public Refiner(ModelConfig config) {
        this.config = config.validate();
        ModelConfig.RefinerSettings r = config.refiner();
        int g = config.groups();
        int levels = r.channelMultipliers().size();
        embeddingDim = 4 * r.baseWidth();
        directionTable = addChildBlock("direction", Linear.builder().setUnits(embeddingDim).optBias(false).build());
        inConv = addChildBlock("inConv", Convs.same3(width(0)));
        int ch = width(0);
        for (int l = 0; l < levels; l++) {
            List<ResBlock3d> blocks = new ArrayList<>();
            for (int k = 0; k < r.resBlocksPerLevel(); k++) {
                blocks.add(addChildBlock("enc" + l + "_" + k, new ResBlock3d(ch, width(l), g)));
                ch = width(l);
            }
            encoder.add(blocks);
            if (l < levels - 1) downs.add(addChildBlock("down" + l, new Downsample3d(ch)));
        }
        mid = addChildBlock("mid", new ResBlock3d(ch, ch, g));
        for (int l = 0; l < levels; l++) {
            decoder.add(null);
            ups.add(null);
        }
        for (int l = levels - 1; l >= 0; l--) {
            List<ResBlock3d> blocks = new ArrayList<>();
            int in = ch + width(l);
            for (int k = 0; k < r.resBlocksPerLevel(); k++) {
                blocks.add(addChildBlock("dec" + l + "_" + k, new ResBlock3d(in, width(l), g)));
                in = width(l);
            }
            decoder.set(l, blocks);
            ch = width(l);
            if (l > 0) {
                ups.set(l, addChildBlock("up" + l, new Upsample3d(width(l - 1))));
                ch = width(l - 1);
            }
        }
        outNorm = addChildBlock("outNorm", new GroupNorm(g));
        outConv = addChildBlock("outConv", Convs.same3(config.channels()));
        outConv.setInitializer(Initializer.ZEROS, p -> true);
    }

    private int width(int level) {
        return config.refiner().baseWidth() * config.refiner().channelMultipliers().get(level);
    }

    private int levels() {
        return config.refiner().channelMultipliers().size();
    }

    /**
     * Refines one-step estimates: {@code x0hat} and {@code cond} (B, N, D, H, W), one direction
     * per sample (0 = fMRI to dMRI, 1 = dMRI to fMRI). Returns R (B, N, D, H, W).
     */
    public NDArray refine(ParameterStore ps, NDArray x0hat, NDArray cond, int[] direction, boolean training) {
        Shape s = x0hat.getShape();
        if (s.dimension() != 5 || s.get(1) != config.channels() || !s.equals(cond.getShape())) {
            throw new IllegalArgumentException("refiner inputs must both be (B, " + config.channels() + ", D, H, W), got "
                    + s + " and " + cond.getShape());
        }
        if (direction.length != s.get(0)) throw new IllegalArgumentException("need one direction per sample: batch " + s.get(0) + ", got " + direction.length);
        float[] oneHot = new float[direction.length * ModelConfig.DIRECTIONS];
        for (int i = 0; i < direction.length; i++) {
            if (direction[i] < 0 || direction[i] >= ModelConfig.DIRECTIONS) throw new IllegalArgumentException("direction must be in 0..1, got " + direction[i]);
            oneHot[i * ModelConfig.DIRECTIONS + direction[i]] = 1f;
        }
        NDArray d = x0hat.getManager().create(oneHot, new Shape(direction.length, ModelConfig.DIRECTIONS));
        return forward(ps, new NDList(x0hat, cond, d), training).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x0 = in.get(0);
        NDArray emb = Silu.apply(directionTable.forward(ps, new NDList(in.get(2)), training).head());
        NDArray h = inConv.forward(ps, new NDList(NDArrays.concat(new NDList(x0, in.get(1)), 1)), training).head();
        int levels = levels();
        NDArray[] skips = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            for (ResBlock3d r : encoder.get(l)) h = r.forward(ps, new NDList(h, emb), training).head();
            skips[l] = h;
            if (l < levels - 1) h = downs.get(l).forward(ps, new NDList(h), training).head();
        }
        h = mid.forward(ps, new NDList(h, emb), training).head();
        for (int l = levels - 1; l >= 0; l--) {
            h = NDArrays.concat(new NDList(h, skips[l]), 1);
            for (ResBlock3d r : decoder.get(l)) h = r.forward(ps, new NDList(h, emb), training).head();
            if (l > 0) h = ups.get(l).forward(ps, new NDList(h, skips[l - 1]), training).head();
        }
        h = Silu.apply(outNorm.forward(ps, new NDList(h), training).head());
        return new NDList(x0.add(outConv.forward(ps, new NDList(h), training).head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Creates the parameters in {@code manager} (float32), seeded by the config's seed + 1. */
    public void initialize(NDManager manager) {
        manager.getEngine().setRandomSeed((int) config.seed() + 1);
        int[] g = config.grid();
        Shape vol = new Shape(1, config.channels(), g[0], g[1], g[2]);
        initialize(manager, DataType.FLOAT32, vol, vol, new Shape(1, ModelConfig.DIRECTIONS));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        Shape x = shapes[0];
        long b = x.get(0);
        Shape emb = new Shape(b, embeddingDim);
        directionTable.initialize(manager, dataType, shapes[2]);
        Shape h = new Shape(b, 2L * config.channels(), x.get(2), x.get(3), x.get(4));
        inConv.initialize(manager, dataType, h);
        h = inConv.getOutputShapes(new Shape[] {h})[0];
        int levels = levels();
        Shape[] skips = new Shape[levels];
        for (int l = 0; l < levels; l++) {
            for (ResBlock3d r : encoder.get(l)) h = init(r, manager, dataType, h, emb);
            skips[l] = h;
            if (l < levels - 1) {
                downs.get(l).initialize(manager, dataType, h);
                h = downs.get(l).getOutputShapes(new Shape[] {h})[0];
            }
        }
        h = init(mid, manager, dataType, h, emb);
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
    }

    private static Shape init(ResBlock3d r, NDManager m, DataType t, Shape h, Shape emb) {
        r.initialize(m, t, h, emb);
        return r.getOutputShapes(new Shape[] {h, emb})[0];
    }
}
