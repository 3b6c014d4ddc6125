package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.function.Supplier;

/**
 * Runs a block's computation in its own NDManager so its temporaries are released when the
 * block returns, not when the whole step ends.
 *
 * <p>A DJL result belongs to its first input's manager and lives until that manager closes;
 * inside one step manager every intermediate of the whole U-Net would stay allocated to the end
 * of the step. Here the inputs are temporarily attached to a sub-manager (they go back to their
 * own managers afterwards), the body runs, its result is attached to the first input's manager,
 * and the sub-manager closes, freeing everything else. Tensors autograd saved for the backward
 * pass stay alive through the graph (closing a Java handle only drops one reference), so this is
 * safe in training too.
 */
final class Scoped {
    private Scoped() {}

    static NDArray run(NDArray[] inputs, Supplier<NDArray> body) {
        NDManager parent = inputs[0].getManager();
        try (NDManager sub = parent.newSubManager()) {
            for (NDArray a : inputs) a.tempAttach(sub);
            NDArray out = body.get();
            out.attach(parent);
            return out;
        }
    }
}
