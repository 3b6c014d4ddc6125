package org.pdsynth.diagnosis;

import org.pdsynth.volume.Diagnosis;

/**
 * The out-of-fold prediction for one subject.
 *
 * @param subject       id
 * @param fold          the fold in which the subject was a test subject (0-based)
 * @param truth         its label
 * @param predicted     the most probable class
 * @param probabilities P(NC), P(MCI), P(AD) (0 for a class absent from that fold's training set)
 */
public record Prediction(String subject, int fold, Diagnosis truth, Diagnosis predicted, double[] probabilities) {
    public Prediction {
        probabilities = probabilities.clone();
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }
}
