package org.pdsynth.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves the grid with a 3x3x3 convolution of stride 2 and zero padding 1: an axis of n voxels
 * becomes ceil(n / 2) (56 -> 28 -> 14 -> 7 -> 4). Output voxel i is centred on input voxel 2i.
 */
public final class Downsample3d extends AbstractBlock {
    private final Conv3d conv;

    public Downsample3d(int channels) {
        conv = addChildBlock("conv", Convs.down3(channels));
    }

    /** Size of an axis of n voxels after this block: ceil(n / 2). */
    public static long outSize(long n) {
        return (n + 1) / 2;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(ps, new NDList(inputs.head()), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(new Shape[] {inputShapes[0]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
    }
}
