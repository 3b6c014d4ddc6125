package org.pdsynth.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.List;
import java.util.Map;

/**
 * Everything that defines the noise estimator and its diffusion process: one JSON record.
 *
 * <p>Conventions: a subject volume is a tensor (C, Z, Y, X) with x fastest (the flat order of an
 * ImgLib2 image with axes x, y, z, c); batched it is (B, C, D = Z, H = Y, W = X). {@code gridZYX}
 * is therefore (Z, Y, X). The default 4 mm MNI box is 48 x 56 x 48 voxels in X, Y, Z, which is
 * also [48, 56, 48] in Z, Y, X. Intensities enter the model in [-1, 1].
 *
 * <p>JSON: {@link #fromJson(String)} starts from {@link #defaults()} and overrides the keys the file
 * has, so files written before a field existed still load; an unknown key is an error (it is
 * almost always a typo). {@code patternAware} switches the atlas module {@link PatternAware3d} on
 * at the {@code patternAwareLevels} coarsest levels (the network then needs the atlas, see
 * {@link RegionFractions}); {@code refiner} configures the stage-2 {@link Refiner}.
 *
 * @param formatVersion        version of this JSON layout (1)
 * @param channels             N, channels of each modality after alignment (default 8)
 * @param baseWidth            feature channels of the first U-Net level (default 32)
 * @param channelMultipliers   width of level l = baseWidth * multiplier[l]; its length is the
 *                             number of levels (default [1, 2, 2, 4]: 48x56x48 -> 6x7x6 at the bottom)
 * @param resBlocksPerLevel    residual blocks per level on each side of the U-Net (default 1)
 * @param attentionHeads       heads of the self-attention at the lowest level (default 4)
 * @param groups               GroupNorm groups (default 8); every level width must be divisible
 * @param embeddingDim         width of the time/direction/label embedding (default 128)
 * @param gridZYX              model grid (Z, Y, X) in voxels (default [48, 56, 48])
 * @param timesteps            T, diffusion steps (default 1000)
 * @param labelDropout         probability of replacing the label by "null" in training (0.2)
 * @param seed                 seed of parameter initialisation and training randomness
 * @param patternAware         pattern-aware (atlas) module on (default false: the network then
 *                             needs no atlas; {@code pds train} turns it on when given an atlas)
 * @param patternAwareLevels   number of coarsest levels with that module (default 2)
 * @param refiner              stage-2 refiner settings
 * @param predictionType       what the network outputs ({@link PredictionType} field name):
 *                             {@code sample} (x0; default), {@code epsilon} (the noise, DESIGN 4.5's
 *                             form) or {@code v_prediction}
 * @param regression           the one-step L1 regression baseline instead of a diffusion model
 *                             (input x_t = 0, t = 0, output x0; sampling is one forward pass;
 *                             {@code predictionType} is then {@code sample})
 * @param noiseSchedule        name of the noise schedule ({@code cosine}, default, or {@code linear};
 *                             see {@code diffusion.NoiseSchedule})
 * @param residual             residual mode: the diffusion models {@code residualScale (x0 - mu(c))}
 *                             over a regression prior mu (a regression model kept in the model
 *                             folder's {@code prior/}); the synthesis is {@code mu + r / residualScale}
 * @param residualScale        s of residual mode, set by training from the data (default 1)
 *
 * <p>Format history: version 1 files had one key {@code objective} = {@code epsilon} | {@code x0}
 * | {@code regression} (absent meant epsilon); they load as predictionType epsilon, sample, or
 * regression on. Version 2 (written now) has {@code predictionType} and {@code regression}.
 */
public record ModelConfig(
        int formatVersion,
        int channels,
        int baseWidth,
        List<Integer> channelMultipliers,
        int resBlocksPerLevel,
        int attentionHeads,
        int groups,
        int embeddingDim,
        List<Integer> gridZYX,
        int timesteps,
        double labelDropout,
        long seed,
        boolean patternAware,
        int patternAwareLevels,
        RefinerSettings refiner,
        String predictionType,
        boolean regression,
        String noiseSchedule,
        boolean residual,
        double residualScale) {

    /** Number of label classes including the null label: NC = 0, MCI = 1, AD = 2, null = 3. */
    public static final int LABELS = 4;
    /** Index of the null (unknown or dropped) label. */
    public static final int NULL_LABEL = 3;
    /** Number of directions: 0 = fMRI to dMRI, 1 = dMRI to fMRI. */
    public static final int DIRECTIONS = 2;
    /** The format version written by {@link #toJson()}. */
    public static final int FORMAT_VERSION = 2;
    /** Version-1 key read for compatibility (see the record description); never written. */
    static final String LEGACY_OBJECTIVE = "objective";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Stage-2 refiner settings ({@link Refiner}).
     *
     * @param enabled            whether the refiner is applied after sampling when the model has
     *                           refiner weights (stage 2 sets it; false switches it off)
     * @param baseWidth          first-level width of the refiner U-Net
     * @param channelMultipliers per-level width multipliers of the refiner
     * @param resBlocksPerLevel  residual blocks per level of the refiner
     * @param maxT               t_r: largest t whose one-step x0 estimate the refiner sees (250)
     * @param lambdaMic          weight of the microstructure loss
     */
    public record RefinerSettings(boolean enabled, int baseWidth, List<Integer> channelMultipliers,
                                  int resBlocksPerLevel, int maxT, double lambdaMic) {
        public RefinerSettings {
            channelMultipliers = channelMultipliers == null ? null : List.copyOf(channelMultipliers);
        }

        public static RefinerSettings defaults() {
            return new RefinerSettings(false, 16, List.of(1, 2, 4), 1, 250, 1.0);
        }
    }

    public ModelConfig {
        channelMultipliers = channelMultipliers == null ? null : List.copyOf(channelMultipliers);
        gridZYX = gridZYX == null ? null : List.copyOf(gridZYX);
    }

    /** The defaults named in the record description. */
    public static ModelConfig defaults() {
        return new ModelConfig(FORMAT_VERSION, 8, 32, List.of(1, 2, 2, 4), 1, 4, 8, 128, List.of(48, 56, 48),
                1000, 0.2, 42L, false, 2, RefinerSettings.defaults(), PredictionType.SAMPLE.fieldName(), false, "cosine", false, 1.0);
    }

    /** The network's output type; {@link PredictionType#SAMPLE} for the regression baseline. */
    public PredictionType prediction() {
        return regression ? PredictionType.SAMPLE : PredictionType.parse(predictionType);
    }

    /** A copy with another prediction type. */
    public ModelConfig withPrediction(PredictionType p) {
        return with("predictionType", p.fieldName());
    }

    /** Number of U-Net levels (resolutions). */
    public int levels() {
        return channelMultipliers.size();
    }

    /** Feature width of level {@code l}. */
    public int width(int level) {
        return baseWidth * channelMultipliers.get(level);
    }

    /** The grid as an int array (Z, Y, X). */
    public int[] grid() {
        return gridZYX.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Voxels per channel of the model grid. */
    public int voxels() {
        return gridZYX.get(0) * gridZYX.get(1) * gridZYX.get(2);
    }

    /** A copy with another value of one field, by JSON key (handy in tests and from scripts). */
    public ModelConfig with(String key, Object value) {
        JsonObject o = GSON.toJsonTree(this).getAsJsonObject();
        o.add(key, GSON.toJsonTree(value));
        return fromJson(o.toString());
    }

    /**
     * Checks the values fit together; throws {@link IllegalArgumentException} with a one-line
     * message naming the field otherwise. Returns this.
     */
    public ModelConfig validate() {
        require(formatVersion == FORMAT_VERSION, "formatVersion", "must be " + FORMAT_VERSION + ", got " + formatVersion);
        require(channels >= 1, "channels", "must be >= 1, got " + channels);
        require(groups >= 1, "groups", "must be >= 1, got " + groups);
        require(baseWidth >= 1, "baseWidth", "must be >= 1, got " + baseWidth);
        require(channelMultipliers != null && !channelMultipliers.isEmpty(), "channelMultipliers", "must list at least one level");
        for (int l = 0; l < levels(); l++) {
            require(channelMultipliers.get(l) >= 1, "channelMultipliers", "entries must be >= 1");
            require(width(l) % groups == 0, "channelMultipliers",
                    "level " + l + " width " + width(l) + " is not divisible by groups = " + groups);
        }
        int bottom = width(levels() - 1);
        require(attentionHeads >= 1 && bottom % attentionHeads == 0, "attentionHeads",
                "must divide the lowest level width " + bottom + ", got " + attentionHeads);
        require(resBlocksPerLevel >= 1, "resBlocksPerLevel", "must be >= 1, got " + resBlocksPerLevel);
        require(embeddingDim >= 2 && embeddingDim % 2 == 0, "embeddingDim", "must be even and >= 2, got " + embeddingDim);
        require(gridZYX != null && gridZYX.size() == 3 && gridZYX.stream().allMatch(v -> v >= 1), "gridZYX",
                "must be three positive sizes (Z, Y, X), got " + gridZYX);
        require(timesteps >= 2, "timesteps", "must be >= 2, got " + timesteps);
        require(labelDropout >= 0 && labelDropout <= 1, "labelDropout", "must be in [0, 1], got " + labelDropout);
        require(patternAwareLevels >= 0 && patternAwareLevels <= levels(), "patternAwareLevels",
                "must be in [0, levels], got " + patternAwareLevels);
        if (patternAware) {
            for (int l = levels() - patternAwareLevels; l < levels(); l++) {
                require(width(l) % attentionHeads == 0, "attentionHeads",
                        "must divide the width " + width(l) + " of pattern-aware level " + l + ", got " + attentionHeads);
            }
        }
        try {
            PredictionType.parse(predictionType);
        } catch (IllegalArgumentException e) {
            require(false, "predictionType", "must be epsilon, sample or v_prediction, got " + predictionType);
        }
        require(noiseSchedule != null && !noiseSchedule.isBlank(), "noiseSchedule", "is missing");
        require(residualScale > 0, "residualScale", "must be > 0, got " + residualScale);
        require(!(residual && regression), "residual", "cannot be on for a regression model (it is the prior)");
        require(refiner != null, "refiner", "is missing");
        require(refiner.baseWidth() >= 1 && refiner.channelMultipliers() != null && !refiner.channelMultipliers().isEmpty(),
                "refiner", "needs baseWidth >= 1 and at least one level");
        for (int m : refiner.channelMultipliers()) {
            require(m >= 1 && refiner.baseWidth() * m % groups == 0, "refiner.channelMultipliers",
                    "level width " + refiner.baseWidth() * m + " must be >= 1 and divisible by groups = " + groups);
        }
        require(refiner.resBlocksPerLevel() >= 1, "refiner.resBlocksPerLevel", "must be >= 1");
        require(refiner.maxT() >= 0 && refiner.maxT() < timesteps, "refiner.maxT", "must be in [0, timesteps), got " + refiner.maxT());
        require(refiner.lambdaMic() >= 0, "refiner.lambdaMic", "must be >= 0, got " + refiner.lambdaMic());
        return this;
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) throw new IllegalArgumentException("model config '" + field + "' " + what);
    }

    /**
     * Rewrites a version-1 config in place to version 2: {@code objective} epsilon | x0 |
     * regression becomes predictionType epsilon | sample, or regression on; a version-1 file
     * without the key was an epsilon model.
     */
    private static void legacy(JsonObject given) {
        JsonElement v = given.get("formatVersion");
        boolean v1 = v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsInt() == 1;
        JsonElement o = given.remove(LEGACY_OBJECTIVE);
        if (!v1 && o == null) return;
        String objective = o == null ? "epsilon" : o.getAsString();
        switch (objective) {
            case "epsilon" -> given.addProperty("predictionType", PredictionType.EPSILON.fieldName());
            case "x0" -> given.addProperty("predictionType", PredictionType.SAMPLE.fieldName());
            case "regression" -> {
                given.addProperty("regression", true);
                given.addProperty("predictionType", PredictionType.SAMPLE.fieldName());
            }
            default -> throw new IllegalArgumentException("model config 'objective' must be 'epsilon', 'x0' or 'regression', got " + objective);
        }
        given.addProperty("formatVersion", FORMAT_VERSION);
    }

    /** Pretty-printed JSON of every field. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses a config: the defaults, overridden by the keys present; unknown keys and ill-typed
     * values give an {@link IllegalArgumentException}; the result is validated.
     */
    public static ModelConfig fromJson(String json) {
        JsonObject merged = GSON.toJsonTree(defaults()).getAsJsonObject();
        JsonObject given;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new IllegalArgumentException("model config is not a JSON object");
            given = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("model config is not valid JSON: " + e.getMessage(), e);
        }
        legacy(given);
        for (Map.Entry<String, JsonElement> kv : given.entrySet()) {
            if (!merged.has(kv.getKey())) throw new IllegalArgumentException("model config has unknown key '" + kv.getKey() + "'");
            if (kv.getKey().equals("refiner") && kv.getValue().isJsonObject()) {
                JsonObject r = merged.getAsJsonObject("refiner");
                for (Map.Entry<String, JsonElement> rk : kv.getValue().getAsJsonObject().entrySet()) {
                    if (!r.has(rk.getKey())) throw new IllegalArgumentException("model config has unknown key 'refiner." + rk.getKey() + "'");
                    r.add(rk.getKey(), rk.getValue());
                }
            } else {
                merged.add(kv.getKey(), kv.getValue());
            }
        }
        try {
            return GSON.fromJson(merged, ModelConfig.class).validate();
        } catch (JsonParseException | NumberFormatException | IllegalStateException e) {
            throw new IllegalArgumentException("model config has a value of the wrong type: " + e.getMessage(), e);
        }
    }
}
