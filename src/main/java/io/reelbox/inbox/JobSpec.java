package io.reelbox.inbox;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sidecar asks for. {@code media} keeps the user's order; entries are relative names or http(s) URLs.
 * {@code language} is null when the sidecar leaves it to {@code reelbox.default-language}.
 * {@code renders} is never empty: a sidecar without {@code renders:} is one render of {@code prompt}.
 * {@code refine} names the earlier video this job refines (its output name or job id), or is null.
 */
public record JobSpec(String basePrompt, List<String> media, String language, Hints hints, List<RenderSpec> renders,
                      boolean mediaListed, String refine) {

    /** Optional hints; appended to each prompt in plain words. */
    public record Hints(String aspect, String resolution, Double durationSeconds, String title, Integer musicVolumePercent,
                        String fill, String platform) {

        public String describe() {
            List<String> parts = new ArrayList<>();
            if (platform != null) {
                parts.add("for " + platform);
            }
            if (aspect != null) {
                parts.add("aspect ratio " + aspect);
            }
            if (resolution != null) {
                parts.add("resolution " + resolution);
            }
            if (durationSeconds != null) {
                parts.add("duration " + (durationSeconds % 1 == 0 ? String.valueOf(durationSeconds.longValue()) : durationSeconds) + " seconds");
            }
            if (title != null) {
                parts.add("title \"" + title + "\"");
            }
            if (musicVolumePercent != null) {
                parts.add("background music at " + musicVolumePercent + "%");
            }
            if (fill != null) {
                parts.add(switch (fill) {
                    case "black" -> "black bars";
                    case "crop" -> "crop to fill";
                    default -> "blurred background";
                });
            }
            return String.join("; ", parts);
        }
    }

    public record RenderSpec(String prompt, String output) {
    }

    public static boolean isUrl(String entry) {
        return entry.startsWith("https://") || entry.startsWith("http://");
    }

    /** The prompt as sent for render {@code i}: the user's words plus the hints. */
    public String promptFor(int i) {
        String hint = hints.describe();
        String p = renders.get(i).prompt();
        return hint.isEmpty() ? p : p + "\n\nRequirements: " + hint + ".";
    }
}
