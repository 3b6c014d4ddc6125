package org.pdsynth.diagnosis;

/** Progress of a long run: a stage name and how many of its steps are done. Called on the caller's thread. */
@FunctionalInterface
public interface Progress {
    /** Reports {@code done} of {@code total} steps of {@code stage} (e.g. "features", 3, 120). */
    void update(String stage, int done, int total);

    /** Reports nothing. */
    Progress NONE = (stage, done, total) -> {};
}
