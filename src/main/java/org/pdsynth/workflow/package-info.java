/**
 * The application layer (DESIGN 6): a training run (both stages) from a cohort manifest to a model
 * folder, synthesis of one subject, cohort completion, the demo and the experiment runner. Plain
 * Java above {@code diffusion}, {@code metrics} and {@code diagnosis} (no DJL, no Fiji classes);
 * the Fiji commands and the CLI call it.
 */
package org.pdsynth.workflow;
