/**
 * The diffusion process as parts (DESIGN 4.5-4.7; docs/diffusion.md): noise schedules, prediction
 * types, samplers over a denoiser, one network holder per network, one training loop with a stage
 * objective, one checkpoint store. DJL appears only here and in {@code org.pdsynth.model}; this
 * package imports nothing from metrics, diagnosis, workflow or fiji.
 */
package org.pdsynth.diffusion;
