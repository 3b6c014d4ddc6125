package org.pdsynth.diagnosis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.pdsynth.volume.Diagnosis;

/**
 * Stratified k-fold assignment of SUBJECTS (one row per subject, so a subject is in exactly one
 * test fold and never in its own training set).
 *
 * <p>Rule: strata NC, MCI, AD in that order; within a stratum the subjects are sorted by id and
 * shuffled with ONE {@code java.util.Random(seed)} shared by the strata in order
 * ({@code Collections.shuffle}); the strata are concatenated and the i-th subject of the
 * concatenation goes to fold i mod k. Consequences: fold sizes differ by at most one, and so does
 * each class's count across folds (class proportions kept as far as integers allow).
 * Deterministic for a given set of (id, label) pairs in any input order and a given seed.
 */
public final class StratifiedFolds {
    private StratifiedFolds() {}

    /**
     * The fold (0..k-1) of each subject, in input order.
     *
     * @param subjects unique ids
     * @param labels   non-null labels, same order
     * @param k        folds, 2 &lt;= k &lt;= number of subjects
     */
    public static int[] assign(List<String> subjects, List<Diagnosis> labels, int k, long seed) {
        int n = subjects.size();
        if (labels.size() != n) throw new IllegalArgumentException(n + " subjects but " + labels.size() + " labels");
        if (k < 2 || k > n) throw new IllegalArgumentException("folds must be in 2.." + n + " (subjects), got " + k);
        List<List<Integer>> strata = new ArrayList<>();
        for (Diagnosis d : Diagnosis.values()) {
            List<Integer> s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels.get(i) == null) throw new IllegalArgumentException("subject '" + subjects.get(i) + "' has no label");
                if (labels.get(i) == d) s.add(i);
            }
            s.sort(Comparator.comparing(subjects::get));
            strata.add(s);
        }
        Random rnd = new Random(seed);
        int[] fold = new int[n];
        int pos = 0;
        for (List<Integer> s : strata) {
            Collections.shuffle(s, rnd);
            for (int i : s) fold[i] = pos++ % k;
        }
        return fold;
    }
}
