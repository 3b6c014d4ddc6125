package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SiLU (swish with beta 1): x * sigmoid(x). DJL's PyTorch engine has no fused silu op. */
public final class Silu {
    private Silu() {}

    /** x * sigmoid(x), elementwise; the result belongs to x's manager. */
    public static NDArray apply(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
