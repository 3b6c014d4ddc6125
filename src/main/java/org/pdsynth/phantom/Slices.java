package org.pdsynth.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent work items (e.g. z slices) on a fixed pool of threads. Items must not depend
 * on each other or on which thread runs them (each derives its own random stream), so results
 * are the same for any thread count.
 */
final class Slices implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    Slices(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "pds-phantom");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Calls {@code body} for 0..count-1, in parallel; rethrows the first failure. */
    void forEach(int count, IntConsumer body) {
        if (pool == null || count <= 1) {
            for (int i = 0; i < count; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, count); t++) {
            tasks.add(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) body.accept(i);
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** Runs a task on the pool (or inline for one thread); join with {@link Future#get()}. */
    <T> Future<T> submit(Callable<T> task) {
        if (pool == null) {
            java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
            f.run();
            return f;
        }
        return pool.submit(task);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
