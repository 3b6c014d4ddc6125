package org.pdsynth.metrics;

/**
 * Metrics of one channel, on values scaled to [0, 1] by the reference channel's range (see
 * {@link VolumeMetrics}).
 *
 * @param channel index along the 4th axis (0 for a 3-D volume)
 * @param psnr    decibels, data range 1; +Infinity when the scaled volumes are equal
 * @param ssim    mean 3-D SSIM, data range 1
 * @param mae     mean |ref - test| in scaled units (a fraction of the reference range)
 */
public record ChannelMetrics(int channel, double psnr, double ssim, double mae) {}
