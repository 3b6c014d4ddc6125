package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The pattern-aware (atlas) module DA of one U-Net level (DESIGN 4.4). With F the features
 * (B, C, V) of the level (V = D*H*W voxels, x fastest) and M the atlas' area fractions (K x V,
 * {@link RegionFractions#fractions}):
 * <pre>
 *   R  = (F M^T) / (M 1)                       region tokens (B, K, C): mean feature of each region
 *   T  = R + E                                 E: learned region embeddings (K x C)
 *   A  = T + proj(MHA(LN(T)))                  multi-head self-attention across the K tokens
 *   R' = A * (1 + s) + b,  (s, b) = FiLM(y)    scale and shift from the label embedding y (B, E)
 *   F' = F + g * (R' M)                        scattered back to the voxels, g a learned scalar
 * </pre>
 * g starts at 0, so the block is exactly the identity at initialisation; FiLM's linear map starts
 * at 0 too (no modulation until trained). A region with no voxel at this level (M 1 = 0) gets the
 * token R = 0 (the area is clamped at 1e-6 below) and receives nothing back (its row of M is 0).
 * M is a constant (no gradient), created in the parameters' manager at initialisation.
 *
 * <p>Inputs: features (B, C, D, H, W) on the level's grid and the label embedding (B, E).
 * Output (B, C, D, H, W).
 */
public final class PatternAware3d extends AbstractBlock {
    private final int channels;
    private final int heads;
    private final int regions;
    private final int voxels;
    private final float[] fractions;
    private final Parameter regionEmbedding;
    private final Parameter gate;
    private final LayerNorm norm;
    private final Linear qkv;
    private final Linear proj;
    private final Linear film;
    private NDArray m;      // (K, V)
    private NDArray mt;     // (V, K)
    private NDArray area;   // (K, 1): M 1, clamped

    /**
     * @param channels  C, feature width of the level
     * @param heads     attention heads (must divide C)
     * @param fractions the level's M from {@link RegionFractions#fractions(int)} (K x voxels)
     * @param regions   K
     */
    public PatternAware3d(int channels, int heads, float[] fractions, int regions) {
        if (heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException("pattern-aware heads " + heads + " must divide channels " + channels);
        }
        if (regions < 1 || fractions.length % regions != 0) {
            throw new IllegalArgumentException("fractions of " + fractions.length + " values do not split into " + regions + " regions");
        }
        this.channels = channels;
        this.heads = heads;
        this.regions = regions;
        this.voxels = fractions.length / regions;
        this.fractions = fractions.clone();
        regionEmbedding = addParameter(Parameter.builder().setName("regionEmbedding").setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(0.02f)).optShape(new Shape(regions, channels)).build());
        gate = addParameter(Parameter.builder().setName("gate").setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS).optShape(new Shape(1)).build());
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * channels).build());
        proj = addChildBlock("proj", Linear.builder().setUnits(channels).build());
        film = addChildBlock("film", Linear.builder().setUnits(2L * channels).build());
        film.setInitializer(Initializer.ZEROS, p -> true);
    }

    /** The learned scale g of the scattered path (a live parameter array; 0 at initialisation). */
    public Parameter gate() {
        return gate;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray y = inputs.get(1);
        Shape s = x.getShape();
        long b = s.get(0);
        if (s.get(1) != channels || s.get(2) * s.get(3) * s.get(4) != voxels) {
            throw new IllegalArgumentException("PatternAware3d expects " + channels + " channels and " + voxels + " voxels, got " + s);
        }
        NDManager mgr = x.getManager();
        NDArray mk = m != null ? m : mgr.create(fractions, new Shape(regions, voxels));
        NDArray mkt = mt != null ? mt : mk.transpose();
        NDArray ar = area != null ? area : mk.sum(new int[] {1}, true).maximum(1e-6f);

        NDArray f = x.reshape(b, channels, voxels);
        NDArray tokens = f.matMul(mkt).transpose(0, 2, 1).div(ar);                 // (B, K, C)
        tokens = tokens.add(ps.getValue(regionEmbedding, x.getDevice(), training));
        tokens = tokens.add(proj.forward(ps, new NDList(attend(ps, norm.forward(ps, new NDList(tokens), training).head(), training)), training).head());
        NDArray sb = film.forward(ps, new NDList(y), training).head().reshape(b, 2, 1, channels);
        NDArray scale = sb.get(":, 0");
        NDArray shift = sb.get(":, 1");
        tokens = tokens.add(tokens.mul(scale)).add(shift);                          // A (1 + s) + b
        NDArray back = tokens.transpose(0, 2, 1).matMul(mk).reshape(s);            // (B, C, V) -> x's shape
        return new NDList(x.add(back.mul(ps.getValue(gate, x.getDevice(), training))));
    }

    /** Multi-head self-attention over the K tokens of (B, K, C); returns (B, K, C) before proj. */
    private NDArray attend(ParameterStore ps, NDArray h, boolean training) {
        long b = h.getShape().get(0);
        long dh = channels / heads;
        NDArray all = qkv.forward(ps, new NDList(h), training).head()
                .reshape(b, regions, 3, heads, dh).transpose(2, 0, 3, 1, 4);        // (3, B, heads, K, dh)
        NDArray q = all.get("0").mul(Staging.scalar(h.getManager(), (float) (1.0 / Math.sqrt(dh))));   // no direct buffer per call
        NDArray k = all.get("1");
        NDArray v = all.get("2");
        NDArray w = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);                  // (B, heads, K, K)
        return w.matMul(v).transpose(0, 2, 1, 3).reshape(b, regions, channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        Shape tokens = new Shape(b, regions, channels);
        norm.initialize(manager, dataType, tokens);
        qkv.initialize(manager, dataType, tokens);
        proj.initialize(manager, dataType, tokens);
        film.initialize(manager, dataType, inputShapes[1]);
        if (m == null) {
            m = manager.create(fractions, new Shape(regions, voxels));
            mt = m.transpose();
            area = m.sum(new int[] {1}, true).maximum(1e-6f);
        }
    }
}
