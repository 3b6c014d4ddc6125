package org.pdsynth.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import java.util.Locale;
import org.pdsynth.model.Engines;

/**
 * Can the engine run the network's main operation in reduced precision? Times one 3x3x3
 * convolution 32 -> 32 channels on 48x56x48 (the first level of the width-32 U-Net) in the data
 * type given, after creating a tensor of that type. Run one type per JVM (bench/bf16-probe.sh):
 * with DJL 0.36 / PyTorch 2.7.1 creating a {@code BFLOAT16} tensor aborts the process.
 *
 * <pre>java ... org.pdsynth.bench.Bf16Probe float32|float16|bfloat16 [threads]</pre>
 */
public final class Bf16Probe {
    public static void main(String[] args) {
        DataType type = DataType.valueOf(args[0].toUpperCase(Locale.ROOT));
        Engines.pytorch(args.length > 1 ? Integer.parseInt(args[1]) : 2);
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.println("creating a " + type + " tensor");
            System.out.flush();
            m.ones(new Shape(2, 2), type).close();
            NDArray x = m.randomNormal(new Shape(1, 32, 48, 56, 48)).toType(type, false);
            NDArray w = m.randomNormal(new Shape(32, 32, 3, 3, 3)).mul(0.05f).toType(type, false);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                try (NDManager s = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray y = Conv3d.conv3d(x, w, null, new Shape(1, 1, 1), new Shape(1, 1, 1), new Shape(1, 1, 1), 1).singletonOrThrow();
                    y.toType(DataType.FLOAT32, false).sum().getFloat();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            double flop = 2.0 * 32 * 32 * 27 * 48 * 56 * 48;
            System.out.printf(Locale.ROOT, "%s conv3d 32->32 on 48x56x48: best of 4 %.3f s, %.1f GFLOP/s%n", type, best, flop / best / 1e9);
        }
    }
}
