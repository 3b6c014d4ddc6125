package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SiLU (swish with beta 1): x * sigmoid(x). DJL's PyTorch engine has no fused silu op. */
public final class Silu {
    private Silu() {}

    /** x * sigmoid(x), elementwise, fused when {@link TorchScriptOps} is available; the result belongs to x's manager. */
    public static NDArray apply(NDArray x) {
        return TorchScriptOps.available() ? TorchScriptOps.silu(x) : applyComposite(x);
    }

    /** The DJL-only form x.mul(sigmoid(x)). */
    public static NDArray applyComposite(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
