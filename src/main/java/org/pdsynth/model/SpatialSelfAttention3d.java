package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over the voxels of a (B, C, D, H, W) tensor, with a residual:
 * {@code out = x + proj(attend(gn(x)))}. Each voxel is a token; q, k, v come from one 1x1x1
 * convolution (C to 3C), split into {@code heads} heads of C / heads channels; weights are
 * {@code softmax(q^T k / sqrt(C / heads))} over the keys. {@code proj} is a 1x1x1 convolution
 * initialised to zero, so the block starts as the identity. Memory grows with (D*H*W)^2: use at
 * the lowest U-Net level only.
 */
public final class SpatialSelfAttention3d extends AbstractBlock {
    private final int channels;
    private final int heads;
    private final GroupNorm norm;
    private final Conv3d qkv;
    private final Conv3d proj;

    public SpatialSelfAttention3d(int channels, int heads, int groups) {
        if (heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException("attention heads " + heads + " must divide channels " + channels);
        }
        this.channels = channels;
        this.heads = heads;
        norm = addChildBlock("norm", new GroupNorm(groups));
        qkv = addChildBlock("qkv", Convs.point(3 * channels));
        proj = addChildBlock("proj", Convs.point(channels));
        proj.setInitializer(Initializer.ZEROS, p -> true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        long b = s.get(0);
        long tokens = s.get(2) * s.get(3) * s.get(4);
        long dh = channels / heads;
        return new NDList(Scoped.run(new NDArray[] {x}, () -> {
            NDArray h = norm.forward(ps, new NDList(x), training).head();
            NDArray all = qkv.forward(ps, new NDList(h), training).head().reshape(b, 3, heads, dh, tokens);
            NDArray q = all.get(new NDIndex(":, 0")).mul(Staging.scalar(x.getManager(), (float) (1.0 / Math.sqrt(dh)))); // no direct buffer per call
            NDArray k = all.get(new NDIndex(":, 1"));
            NDArray v = all.get(new NDIndex(":, 2"));
            NDArray w = q.transpose(0, 1, 3, 2).matMul(k).softmax(-1);       // (B, heads, Lq, Lk)
            NDArray o = v.matMul(w.transpose(0, 1, 3, 2)).reshape(s);        // (B, heads, dh, Lq)
            return x.add(proj.forward(ps, new NDList(o), training).head());
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm.initialize(manager, dataType, x);
        qkv.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, x);
    }
}
