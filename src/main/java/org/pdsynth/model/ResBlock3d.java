package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Residual block with an embedding: {@code out = skip(x) + h}, where
 * {@code h = conv2(silu(gn2(conv1(silu(gn1(x))) + proj(e))))}; conv1/conv2 are 3x3x3 with zero
 * padding, {@code proj} a linear map of the embedding added to every voxel of each channel, and
 * {@code skip} a 1x1x1 convolution when the channel count changes (identity otherwise).
 *
 * <p>Inputs: {@code x} (B, Cin, D, H, W) and {@code e} (B, E), the embedding after SiLU (the
 * network applies SiLU once and every block uses it). Output (B, Cout, D, H, W).
 */
public final class ResBlock3d extends AbstractBlock {
    private final int inChannels;
    private final int outChannels;
    private final GroupNorm norm1;
    private final Conv3d conv1;
    private final Linear embProj;
    private final GroupNorm norm2;
    private final Conv3d conv2;
    private final Conv3d skip;

    public ResBlock3d(int inChannels, int outChannels, int groups) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        norm1 = addChildBlock("norm1", new GroupNorm(groups));
        conv1 = addChildBlock("conv1", Convs.same3(outChannels));
        embProj = addChildBlock("embProj", Linear.builder().setUnits(outChannels).build());
        norm2 = addChildBlock("norm2", new GroupNorm(groups));
        conv2 = addChildBlock("conv2", Convs.same3(outChannels));
        skip = inChannels == outChannels ? null : addChildBlock("skip", Convs.point(outChannels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray e = inputs.get(1);
        if (x.getShape().get(1) != inChannels) {
            throw new IllegalArgumentException("ResBlock3d expects " + inChannels + " channels, got " + x.getShape());
        }
        return new NDList(Scoped.run(new NDArray[] {x, e}, () -> {
            NDArray h = Silu.apply(norm1.forward(ps, new NDList(x), training).head());
            h = conv1.forward(ps, new NDList(h), training).head();
            NDArray p = embProj.forward(ps, new NDList(e), training).head();
            h = h.add(p.reshape(p.getShape().get(0), outChannels, 1, 1, 1));
            h = Silu.apply(norm2.forward(ps, new NDList(h), training).head());
            h = conv2.forward(ps, new NDList(h), training).head();
            NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).head();
            return s.add(h);
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3), x.get(4))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape out = getOutputShapes(inputShapes)[0];
        norm1.initialize(manager, dataType, x);
        conv1.initialize(manager, dataType, x);
        embProj.initialize(manager, dataType, inputShapes[1]);
        norm2.initialize(manager, dataType, out);
        conv2.initialize(manager, dataType, out);
        if (skip != null) skip.initialize(manager, dataType, x);
    }
}
