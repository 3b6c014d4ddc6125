package org.pdsynth.metrics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Result of {@link VolumeMetrics#compare}: metrics averaged over channels, per channel, and (when a
 * mask was given) the same inside the mask.
 *
 * <p>JSON form ({@link #toJson()}), keys in this order:
 * <pre>
 * {"data_range":1.0,"scaling":"...","psnr":..,"ssim":..,"mae":..,
 *  "channels":[{"channel":0,"psnr":..,"ssim":..,"mae":..},...],
 *  "masked":{"data_range":1.0,"scaling":"...","psnr":..,"ssim":..,"mae":..,"channels":[...]}}
 * </pre>
 * "masked" is present only when a mask was given. A PSNR of +Infinity (MSE 0) is not a JSON
 * number: it is written as {@code null} followed by a {@code "psnr_note"} key saying so; at the top
 * level that means every channel is equal, in a channel entry only that channel. Every other
 * value is a finite number.
 *
 * @param dataRange the R used by PSNR and SSIM (1.0: data scaled to [0, 1])
 * @param scaling   how values were scaled (and, for the masked part, which voxels count)
 * @param psnr      PSNR of the MSE pooled over all channels (scikit-image's whole-array value), decibels
 * @param ssim      mean over channels of the channel SSIMs
 * @param mae       mean over channels of the channel MAEs (scaled units)
 * @param channels  per-channel metrics, in channel order
 * @param masked    the same metrics inside the mask, or null when no mask was given
 */
public record MetricsReport(double dataRange, String scaling, double psnr, double ssim, double mae,
                            List<ChannelMetrics> channels, MetricsReport masked) {

    static final String INFINITE_PSNR_NOTE = "PSNR is +Infinity: MSE = 0 (equal after scaling)";

    public MetricsReport {
        channels = List.copyOf(channels);
    }

    /** Compact JSON, as described in the class comment. */
    public String toJson() {
        return toJson(false);
    }

    /** JSON, indented when pretty is true. */
    public String toJson(boolean pretty) {
        GsonBuilder b = new GsonBuilder().serializeNulls().disableHtmlEscaping();
        if (pretty) b.setPrettyPrinting();
        return b.create().toJson(toJsonObject());
    }

    /** The JSON tree, for embedding in a larger document. */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("data_range", dataRange);
        o.addProperty("scaling", scaling);
        addMetrics(o, psnr, ssim, mae);
        JsonArray arr = new JsonArray();
        for (ChannelMetrics c : channels) {
            JsonObject co = new JsonObject();
            co.addProperty("channel", c.channel());
            addMetrics(co, c.psnr(), c.ssim(), c.mae());
            arr.add(co);
        }
        o.add("channels", arr);
        if (masked != null) o.add("masked", masked.toJsonObject());
        return o;
    }

    private static void addMetrics(JsonObject o, double psnr, double ssim, double mae) {
        if (psnr == Double.POSITIVE_INFINITY) {
            o.add("psnr", JsonNull.INSTANCE);
            o.addProperty("psnr_note", INFINITE_PSNR_NOTE);
        } else {
            o.addProperty("psnr", psnr);
        }
        o.addProperty("ssim", ssim);
        o.addProperty("mae", mae);
    }

    /** A few human-readable lines (for a console). */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "data range %.1f; %s%n", dataRange, scaling));
        appendLines(sb, "whole volume", this);
        if (masked != null) appendLines(sb, "inside mask (PSNR, MAE over mask voxels; SSIM over mask voxels >= "
                + Ssim.PAD + " from every border)", masked);
        return sb.toString();
    }

    private static void appendLines(StringBuilder sb, String title, MetricsReport r) {
        sb.append(String.format(Locale.ROOT, "%s: PSNR %s  SSIM %.6f  MAE %.6f%n", title, db(r.psnr), r.ssim, r.mae));
        if (r.channels.size() > 1)
            for (ChannelMetrics c : r.channels)
                sb.append(String.format(Locale.ROOT, "  channel %d: PSNR %s  SSIM %.6f  MAE %.6f%n",
                        c.channel(), db(c.psnr()), c.ssim(), c.mae()));
    }

    private static String db(double psnr) {
        return psnr == Double.POSITIVE_INFINITY ? "+Infinity dB" : String.format(Locale.ROOT, "%.4f dB", psnr);
    }
}
