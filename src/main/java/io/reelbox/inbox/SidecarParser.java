package io.reelbox.inbox;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/**
 * Reads a sidecar ({@code .yaml}, {@code .yml}, {@code .json}, or {@code .txt} whose whole text is the prompt) into a
 * {@link JobSpec}, refusing anything it cannot act on with a message that names the field and the fix.
 */
public final class SidecarParser {

    public static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "json", "txt");
    private static final Set<String> FIELDS = Set.of("prompt", "media", "output", "language", "aspect", "resolution",
            "duration", "title", "music_volume", "fill", "platform", "renders", "refine");
    private static final Set<String> ASPECTS = Set.of("16:9", "9:16", "1:1");
    private static final Set<String> FILLS = Set.of("blur", "black", "crop");
    /** The {@code platform:} values, as the prompt names them (every backend reads "for TikTok"). */
    private static final java.util.Map<String, String> PLATFORMS = java.util.Map.of("youtube", "YouTube", "shorts", "YouTube Shorts",
            "youtube-shorts", "YouTube Shorts", "reels", "Instagram Reels", "instagram-reels", "Instagram Reels", "tiktok", "TikTok",
            "stories", "Instagram Stories", "instagram-stories", "Instagram Stories");
    private static final Set<String> RESOLUTIONS = Set.of("480p", "720p", "1080p", "1440p", "2160p", "4k");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxPromptLength;

    public SidecarParser(int maxPromptLength) {
        this.maxPromptLength = maxPromptLength;
    }

    public static boolean isSidecarName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && !name.equalsIgnoreCase("error.json");
    }

    public JobSpec parse(Path sidecar, String jobName) {
        String name = sidecar.getFileName().toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(sidecar))).toString();
        } catch (CharacterCodingException e) {
            throw bad(name + " is not UTF-8 text");
        } catch (IOException e) {
            throw bad(name + " could not be read: " + e.getMessage());
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".txt")) {
            String prompt = checkPrompt(name, text.strip(), "text");
            return new JobSpec(null, List.of(), null, new JobSpec.Hints(null, null, null, null, null, null, null),
                    List.of(new JobSpec.RenderSpec(prompt, jobName)), false, null);
        }
        JsonNode root;
        try {
            root = (name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw bad(name + " is not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(name + " must be a mapping with at least a 'prompt' field");
        }
        Set<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw bad(name + " has unknown field(s) " + unknown + "; known fields: " + new TreeSet<>(FIELDS));
        }
        String output = text(root, "output", name);
        String base = text(root, "prompt", name);
        List<JobSpec.RenderSpec> renders = new ArrayList<>();
        JsonNode list = root.get("renders");
        if (list != null && !list.isNull()) {
            if (!list.isArray() || list.isEmpty()) {
                throw bad(name + ": 'renders' must be a non-empty list of {prompt, output}");
            }
            int i = 1;
            for (Iterator<JsonNode> it = list.elements(); it.hasNext(); i++) {
                JsonNode r = it.next();
                if (!r.isObject()) {
                    throw bad(name + ": renders[" + i + "] must be a mapping with 'prompt' and optional 'output'");
                }
                String p = checkPrompt(name, text(r, "prompt", name), "renders[" + i + "].prompt");
                String out = text(r, "output", name);
                renders.add(new JobSpec.RenderSpec(p, outputName(out != null ? out : (output != null ? output : jobName) + "-" + i, name)));
            }
            if (base != null) {
                base = checkPrompt(name, base, "prompt");
            }
        } else {
            renders.add(new JobSpec.RenderSpec(checkPrompt(name, base, "prompt"), outputName(output != null ? output : jobName, name)));
            base = null;
        }
        List<String> media = new ArrayList<>();
        JsonNode m = root.get("media");
        boolean listed = m != null && !m.isNull();
        if (listed) {
            if (m.isTextual()) {
                media.add(m.asText());
            } else if (m.isArray()) {
                m.forEach(e -> {
                    if (!e.isTextual() || e.asText().isBlank()) {
                        throw bad(name + ": every 'media' entry must be a file name or an https:// URL");
                    }
                    media.add(e.asText().strip());
                });
            } else {
                throw bad(name + ": 'media' must be a list of file names or URLs");
            }
            if (media.isEmpty()) {
                throw bad(name + ": 'media' is empty; list the files to use, or leave the field out");
            }
        }
        String language = text(root, "language", name);
        String refine = text(root, "refine", name);
        if (refine != null && renders.size() > 1) {
            throw bad(name + ": a refine makes one new version of an earlier video; use 'prompt', not 'renders'");
        }
        if (refine != null && base != null) {
            throw bad(name + ": a refine has one 'prompt' (what to change); it cannot have a shared base prompt");
        }
        return new JobSpec(base, media, language, hints(root, name), List.copyOf(renders), listed, refine);
    }

    private JobSpec.Hints hints(JsonNode root, String name) {
        String aspect = text(root, "aspect", name);
        if (aspect != null && !ASPECTS.contains(aspect)) {
            throw bad(name + ": 'aspect' must be one of 16:9, 9:16, 1:1 (got '" + aspect + "')");
        }
        String resolution = text(root, "resolution", name);
        if (resolution != null && !RESOLUTIONS.contains(resolution.toLowerCase(Locale.ROOT))) {
            throw bad(name + ": 'resolution' must be one of 720p, 1080p, 4K (got '" + resolution + "')");
        }
        Double duration = null;
        JsonNode d = root.get("duration");
        if (d != null && !d.isNull()) {
            String raw = d.asText().strip().replaceAll("(?i)\\s*(s|sec|seconds)$", "");
            try {
                duration = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                duration = -1.0;
            }
            if (duration <= 0 || duration > 3600) {
                throw bad(name + ": 'duration' must be a number of seconds between 1 and 3600 (got '" + d.asText() + "')");
            }
        }
        Integer volume = null;
        JsonNode v = root.get("music_volume");
        if (v != null && !v.isNull()) {
            String raw = v.asText().strip().replace("%", "");
            try {
                double value = Double.parseDouble(raw);
                volume = (int) Math.round(value > 0 && value <= 1 && !raw.contains("%") && raw.contains(".") ? value * 100 : value);
            } catch (NumberFormatException e) {
                volume = -1;
            }
            if (volume < 0 || volume > 100) {
                throw bad(name + ": 'music_volume' must be a percentage from 0 to 100 (got '" + v.asText() + "')");
            }
        }
        String fill = text(root, "fill", name);
        if (fill != null && !FILLS.contains(fill.toLowerCase(Locale.ROOT))) {
            throw bad(name + ": 'fill' must be one of blur, black, crop (got '" + fill + "')");
        }
        String platform = text(root, "platform", name);
        String platformName = platform == null ? null : PLATFORMS.get(platform.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-"));
        if (platform != null && platformName == null) {
            throw bad(name + ": 'platform' must be one of youtube, shorts, reels, tiktok, stories (got '" + platform + "')");
        }
        return new JobSpec.Hints(aspect, resolution, duration, text(root, "title", name), volume,
                fill == null ? null : fill.toLowerCase(Locale.ROOT), platformName);
    }

    private String checkPrompt(String name, String prompt, String field) {
        if (prompt == null || prompt.isBlank()) {
            throw bad(name + " has no " + field + ": say what video to make, for example "
                    + "\"combine my clips into a 60-second video with transitions\"");
        }
        if (prompt.length() > maxPromptLength) {
            throw bad(name + ": " + field + " is " + prompt.length() + " characters; the limit is " + maxPromptLength);
        }
        return prompt.strip();
    }

    private static String text(JsonNode node, String field, String name) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw bad(name + ": '" + field + "' must be text");
        }
        String s = n.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** An output name is a file name in the outbox: no folders, no dot-names, {@code .mp4} implied. */
    static String outputName(String requested, String sidecar) {
        String s = requested.strip();
        if (s.toLowerCase(Locale.ROOT).endsWith(".mp4")) {
            s = s.substring(0, s.length() - 4);
        }
        if (s.isEmpty() || s.contains("/") || s.contains("\\") || s.startsWith(".") || s.contains("\0")) {
            throw bad(sidecar + ": 'output' must be a plain file name such as promo or promo.mp4 (got '" + requested + "')");
        }
        return s;
    }

    private static JobFailure bad(String message) {
        return new JobFailure(Failure.BAD_SIDECAR, "bad-sidecar", message);
    }
}
