package org.pdsynth.phantom;

/** Receives progress of a cohort simulation: {@code done} of {@code total} steps, and what happens now. */
@FunctionalInterface
public interface PhantomProgress {
    void update(int done, int total, String message);

    /** A listener that ignores everything. */
    PhantomProgress NONE = (done, total, message) -> {};
}
