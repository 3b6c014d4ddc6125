package org.pdsynth.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

/** The 3D convolutions the U-Net uses, as DJL {@link Conv3d} blocks with bias. */
final class Convs {
    private Convs() {}

    /** 3x3x3, stride 1, zero padding 1: keeps the grid size. */
    static Conv3d same3(int out) {
        return Conv3d.builder().setFilters(out).setKernelShape(new Shape(3, 3, 3))
                .optPadding(new Shape(1, 1, 1)).build();
    }

    /** 3x3x3, stride 2, zero padding 1: output size ceil(n / 2) on every axis. */
    static Conv3d down3(int out) {
        return Conv3d.builder().setFilters(out).setKernelShape(new Shape(3, 3, 3))
                .optStride(new Shape(2, 2, 2)).optPadding(new Shape(1, 1, 1)).build();
    }

    /** 1x1x1: a per-voxel linear map of the channels. */
    static Conv3d point(int out) {
        return Conv3d.builder().setFilters(out).setKernelShape(new Shape(1, 1, 1)).build();
    }
}
