package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's own fused {@code silu} and {@code group_norm} kernels, which DJL's PyTorch engine
 * does not expose as NDArray operations, reached through DJL's TorchScript runner.
 *
 * <p>A three-method TorchScript module is written here as source text, packed in memory into the
 * TorchScript archive layout (a zip holding {@code version}, {@code data.pkl},
 * {@code constants.pkl} and {@code code/__torch__.py}) and loaded once with
 * {@code JniUtils.loadModule}. Calls run with autograd on ({@code isTrain = true}), so gradients
 * flow as through any other op; results belong to the manager of the first input.
 *
 * <p>Why: the composite forms ({@link GroupNorm#apply}: layer_norm + per-channel multiply-add;
 * {@link Silu}: x * sigmoid(x)) make several extra passes over the activations and keep more of
 * them for the backward pass; fused, the backward pass of the default U-Net (batch 2, 48x56x48)
 * took 0.3-0.5 s less (bench/README.md). The composite forms stay as the fallback and as the reference
 * the fused ones are tested against. System property {@code pds.torchscript.ops=false} turns
 * the fused path off. Calls switch TorchScript's graph optimizer off on the calling thread (a
 * thread-local PyTorch flag; see {@link #call}).
 */
public final class TorchScriptOps {
    /** The module's source: TorchScript, a statically typed subset of Python. */
    static final String SOURCE = String.join("\n",
            "class Ops(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Ops, x: Tensor) -> Tensor:",
            "    return x",
            "  def silu(self: __torch__.Ops, x: Tensor) -> Tensor:",
            "    return torch.silu(x)",
            "  def group_norm(self: __torch__.Ops, x: Tensor, groups: Tensor, w: Tensor, b: Tensor) -> Tensor:",
            "    return torch.group_norm(x, int(torch.item(groups)), torch.reshape(w, [-1]), torch.reshape(b, [-1]), 1.0000000000000001e-05, False)",
            "");

    private static final Object LOCK = new Object();
    private static volatile PtSymbolBlock module;
    private static PtNDManager moduleManager;
    private static final java.util.Map<String, NDArray> CONSTANTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile boolean failed;

    private TorchScriptOps() {}

    /** True when the fused ops are enabled and the module loads (tried once). */
    public static boolean available() {
        if (failed || "false".equalsIgnoreCase(System.getProperty("pds.torchscript.ops"))) return false;
        if (module != null) return true;
        synchronized (LOCK) {
            if (module == null && !failed) {
                try {
                    Engines.pytorch();
                    PtNDManager m = (PtNDManager) NDManager.newBaseManager(Engines.PYTORCH);
                    moduleManager = m;
                    module = JniUtils.loadModule(m, new ByteArrayInputStream(archive()), false, false);
                } catch (IOException | RuntimeException e) {
                    failed = true;
                }
            }
        }
        return module != null;
    }

    /** x * sigmoid(x) in one kernel (and one backward kernel). */
    public static NDArray silu(NDArray x) {
        return call("silu", x);
    }

    /**
     * PyTorch's group_norm of x (B, C, ...) with G groups, eps 1e-5, weight and bias of C values
     * in any shape (they are flattened inside the script).
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta) {
        NDArray g = CONSTANTS.computeIfAbsent("groups:" + groups + "@" + x.getDevice(),
                k -> moduleManager.create((long) groups).toDevice(x.getDevice(), false));
        return call("group_norm", x, g, gamma, beta);
    }

    private static NDArray call(String method, NDArray... inputs) {
        // the method marker and the group count are created once and kept with the module: a
        // fresh one per call left a small direct buffer per call to the GC (see Staging)
        NDArray marker = CONSTANTS.computeIfAbsent("module_method:" + method, k -> {
            NDArray a = moduleManager.create(0f);
            a.setName(k);
            return a;
        });
        NDList in = new NDList(inputs.length + 1);
        for (NDArray a : inputs) in.add(a);
        in.add(marker);
        // TorchScript's graph optimizer is a thread-local PyTorch flag; with it on, the profiling
        // executor re-plans these one-op methods after their first calls (a warm-up stall and a
        // change of backward kernels mid-run). They have nothing to optimise: run them plainly.
        JniUtils.setGraphExecutorOptimize(false);
        return IValueUtils.forward(module, in, true).singletonOrThrow();
    }

    /** The TorchScript archive (zip, stored entries) of {@link #SOURCE}. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "ops/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "ops/data.pkl", modulePickle());
            stored(zip, "ops/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, "ops/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle (protocol 2) of the module object: an instance of {@code __torch__.Ops} whose state
     * is {"training": False}.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);                                   // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nOps\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')');                                    // EMPTY_TUPLE
        p.write(0x81);                                   // NEWOBJ
        p.write('}');                                    // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');                                    // BINUNICODE
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x89);                                   // NEWFALSE
        p.write('s');                                    // SETITEM
        p.write('b');                                    // BUILD
        p.write('.');                                    // STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
