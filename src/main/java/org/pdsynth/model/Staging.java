package org.pdsynth.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java values into tensors without a new direct buffer per call: every copy goes through one
 * reused direct staging buffer and is cloned into PyTorch-owned memory.
 *
 * <p>Why: DJL's {@code NDManager.create(float[])}, {@code create(float)} and the scalar forms of
 * the arithmetic ({@code x.mul(2f)}) wrap a fresh direct buffer each call, whose C memory returns
 * only when the Java GC gets to it. For a volume that piled up hundreds of MB in a 50-step
 * synthesis; for the many small codes and scalars of every step (71 per network evaluation, 213
 * per training step before this class) it left small C-heap chunks alive among the freed
 * tensors of the following steps, pinning the space between them (bench/README.md, "Memory").
 */
public final class Staging {
    private static ByteBuffer buffer;

    private Staging() {}

    /**
     * A tensor in {@code m} on {@code device} holding a copy of {@code data} (row-major values of
     * {@code shape}).
     *
     * @throws IllegalArgumentException when the length does not match the shape
     */
    public static synchronized NDArray upload(NDManager m, float[] data, Shape shape, Device device) {
        int bytes = Math.multiplyExact(data.length, 4);
        if (data.length != shape.size()) throw new IllegalArgumentException(data.length + " values for shape " + shape);
        if (buffer == null || buffer.capacity() < bytes) buffer = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        view.asFloatBuffer().put(data);
        try (NDArray aliased = m.create(view, shape, DataType.FLOAT32)) {
            NDArray owned = device.equals(aliased.getDevice()) ? aliased.duplicate() : aliased.toDevice(device, true);
            owned.attach(m);
            return owned;
        }
    }

    /** As {@link #upload(NDManager, float[], Shape, Device)} on {@code m}'s device. */
    public static NDArray upload(NDManager m, float[] data, Shape shape) {
        return upload(m, data, shape, m.getDevice());
    }

    /** A float32 scalar (shape ()) in {@code m} holding {@code v}: what DJL's scalar arithmetic creates, without its direct buffer. */
    public static NDArray scalar(NDManager m, float v) {
        return upload(m, new float[] {v}, new Shape());
    }
}
