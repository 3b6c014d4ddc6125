package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation of a (B, C, D, H, W) tensor: channels split into G groups; each group of
 * each sample is normalised by its own mean and (biased) variance over its channels and voxels,
 * with {@code eps} = 1e-5 added to the variance; then per-channel scale gamma (init 1) and shift
 * beta (init 0). Equals PyTorch's {@code nn.GroupNorm(G, C)}.
 *
 * <p>DJL's PyTorch engine has no group_norm op. Two implementations, equal to float rounding:
 * PyTorch's fused kernel reached through {@link TorchScriptOps} (used when available), and the
 * DJL-only {@link #applyComposite}: the input reshaped to (B, G, C/G * D*H*W), normalised with
 * {@code LayerNorm.layerNorm} over the last axis with unit weight and zero bias, reshaped back
 * and scaled per channel. gamma and beta are stored with shape (C, 1, 1, 1) so they broadcast
 * against (B, C, D, H, W) with no reshape of a parameter (a reshape of a parameter would land in
 * the long-lived parameter manager each step).
 */
public final class GroupNorm extends AbstractBlock {
    /** Variance epsilon, PyTorch's default. */
    public static final float EPS = 1e-5f;

    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups) {
        if (groups < 1) throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        this.groups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    public int groups() {
        return groups;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long c = inputShapes[0].get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + c + " channels are not divisible by " + groups + " groups");
        }
        gamma.setShape(new Shape(c, 1, 1, 1));
        beta.setShape(new Shape(c, 1, 1, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray g = ps.getValue(gamma, x.getDevice(), training);
        NDArray b = ps.getValue(beta, x.getDevice(), training);
        return new NDList(apply(x, g, b, groups));
    }

    /**
     * Group norm of {@code x} (B, C, ...) with gamma/beta of shape (C, 1, 1, 1): PyTorch's fused
     * kernel through {@link TorchScriptOps} when available, else {@link #applyComposite}.
     */
    public static NDArray apply(NDArray x, NDArray gamma, NDArray beta, int groups) {
        if (gamma != null && beta != null && TorchScriptOps.available()) return TorchScriptOps.groupNorm(x, groups, gamma, beta);
        return applyComposite(x, gamma, beta, groups);
    }

    /** The DJL-only form: layer_norm over (B, G, C/G * voxels) with unit weights, then gamma, beta (either may be null). */
    public static NDArray applyComposite(NDArray x, NDArray gamma, NDArray beta, int groups) {
        Shape s = x.getShape();
        long batch = s.get(0);
        long per = s.size() / (batch * groups);
        NDManager m = x.getManager();
        NDArray ones = m.ones(new Shape(per));
        NDArray zeros = m.zeros(new Shape(per));
        NDArray n = LayerNorm.layerNorm(x.reshape(batch, groups, per), new Shape(per), ones, zeros, EPS)
                .singletonOrThrow().reshape(s);
        if (gamma != null) n = n.mul(gamma);
        if (beta != null) n = n.add(beta);
        return n;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
