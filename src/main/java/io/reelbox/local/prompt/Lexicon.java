package io.reelbox.local.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The planner's vocabulary, read from {@code lexicon.yaml} next to this class: per language, the words for each
 * concept as regular-expression fragments. Compiles them once, with whole-word boundaries where the language is
 * written with spaces.
 */
public record Lexicon(Map<String, Language> languages, Map<String, List<String>> others) {

    /** One language's words; see lexicon.yaml for what each field means. */
    public record Language(String name, boolean spaces, List<String> markers, Map<String, Double> numbers,
                           List<String> articles, String joiners, String half, String seconds, String minutes,
                           List<String> connectors, List<String> blockers, Map<String, String> nouns, String weakVideo,
                           Map<String, String> transitionKinds, String noTransitions, Map<String, String> aspect,
                           Map<String, String> resolution, String mute, String noMusic, String zoom, String noZoom, String evenTiming, String noDucking,
                           Map<String, String> fill, String quiet, String loud, String titleLead,
                           Map<String, String> unsupported) {

        /** {@code fragment} as a regular expression that matches whole words only (in a language with spaces). */
        public String words(String fragment) {
            return spaces ? "(?<![\\p{IsLatin}\\p{N}])(?:" + fragment + ")(?![\\p{IsLatin}\\p{N}])" : "(?:" + fragment + ")";
        }
    }

    private static final Lexicon BUNDLED = load();

    public static Lexicon bundled() {
        return BUNDLED;
    }

    private static Lexicon load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = Lexicon.class.getResourceAsStream("lexicon.yaml")) {
            if (in == null) {
                throw new IllegalStateException("lexicon.yaml is missing from the jar");
            }
            return yaml.readValue(in, Raw.class).toLexicon();
        } catch (IOException e) {
            throw new UncheckedIOException("lexicon.yaml cannot be read", e);
        }
    }

    private record Raw(@JsonProperty("languages") Map<String, Language> languages,
                       @JsonProperty("others") Map<String, List<String>> others) {
        Lexicon toLexicon() {
            return new Lexicon(java.util.Collections.unmodifiableMap(languages), java.util.Collections.unmodifiableMap(others));
        }
    }
}
