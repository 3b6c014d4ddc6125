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
import ai.djl.util.PairList;

/**
 * Doubles the grid by nearest-neighbour repetition (each voxel becomes a 2x2x2 block), crops to
 * the size of the skip connection it will be joined with, then applies a 3x3x3 convolution
 * (zero padding 1) from {@code inChannels} to {@code outChannels}.
 *
 * <p>Size rule, the inverse of {@link Downsample3d}'s ceil(n / 2): the doubled axis has 2m >= n
 * voxels; the extra voxel of an odd n is cut at the high end (7 -> 4 -> 8 -> 7), which keeps
 * output voxel 2i on input voxel i, as the downsampling centred it. Any grid size works, divisible
 * by 2^levels or not.
 *
 * <p>Inputs: {@code x} (B, Cin, d, h, w) and {@code skip} (B, *, D, H, W) with D in {2d - 1, 2d}
 * (only the skip's shape is used). Output (B, Cout, D, H, W).
 */
public final class Upsample3d extends AbstractBlock {
    private final Conv3d conv;

    public Upsample3d(int outChannels) {
        conv = addChildBlock("conv", Convs.same3(outChannels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        Shape target = inputs.get(1).getShape();
        return new NDList(Scoped.run(new NDArray[] {x}, () ->
                conv.forward(ps, new NDList(nearest2x(x, target.get(2), target.get(3), target.get(4))), training).head()));
    }

    /**
     * Nearest x2 of (B, C, d, h, w) to (B, C, 2d, 2h, 2w), then cropped at the high end to
     * (B, C, D, H, W). Uses PyTorch's upsample_nearest3d (DJL's {@code interpolation}, mode 0),
     * whose backward is one fused pass; the equivalent broadcast-and-reshape form costs an
     * expand-backward reduction per call.
     */
    public static NDArray nearest2x(NDArray x, long depth, long height, long width) {
        Shape s = x.getShape();
        long d = s.get(2), h = s.get(3), w = s.get(4);
        if (depth > 2 * d || height > 2 * h || width > 2 * w || depth < 2 * d - 1 || height < 2 * h - 1 || width < 2 * w - 1) {
            throw new IllegalArgumentException("Upsample3d: cannot bring " + s + " to " + depth + "x" + height + "x" + width);
        }
        NDArray up = x.getNDArrayInternal().interpolation(new long[] {2 * d, 2 * h, 2 * w}, 0, false);
        if (depth == 2 * d && height == 2 * h && width == 2 * w) return up;
        return up.get(new NDIndex(":, :, :{}, :{}, :{}", depth, height, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[1];
        Shape x = inputShapes[0];
        return conv.getOutputShapes(new Shape[] {new Shape(x.get(0), x.get(1), t.get(2), t.get(3), t.get(4))});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape t = inputShapes[1];
        conv.initialize(manager, dataType, new Shape(x.get(0), x.get(1), t.get(2), t.get(3), t.get(4)));
    }
}
