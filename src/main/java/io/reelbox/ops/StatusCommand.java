package io.reelbox.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.reelbox.config.Settings;

/**
 * {@code reelbox status | retry JOB | cancel JOB | refine JOB PROMPT | health [--port N]}: the job view of a running
 * daemon as a table, its actions, through the job API (the same one the dashboard uses), and its liveness. The port
 * comes from the settings, or from {@code <work-dir>/http.json} when the settings say 0; {@code --port} overrides both.
 */
public final class StatusCommand {

    private static final int BAR = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Settings settings;
    private final PrintStream out;

    public StatusCommand(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static boolean handles(String command) {
        return List.of("status", "retry", "cancel", "health", "refine").contains(command);
    }

    /**
     * Runs {@code args} ({@code status}, {@code retry JOB}, {@code cancel JOB}, {@code refine JOB PROMPT…}, {@code health},
     * each with an optional --port N); the exit code.
     */
    public int run(String... args) {
        List<String> words = new ArrayList<>();
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    return usage();
                }
            } else {
                words.add(args[i]);
            }
        }
        boolean refine = !words.isEmpty() && words.get(0).equals("refine");
        boolean action = !words.isEmpty() && !words.get(0).equals("status") && !words.get(0).equals("health");
        if (words.isEmpty() || !handles(words.get(0)) || (refine ? words.size() < 3 : words.size() != (action ? 2 : 1))) {
            return usage();
        }
        String base;
        try {
            base = baseUrl(port);
        } catch (IOException e) {
            out.println("Cannot tell where Reelbox listens: " + e.getMessage() + ". Give --port N.");
            return 1;
        }
        try {
            if (words.get(0).equals("health")) {
                return health(base);
            }
            if (!action) {
                return status(base);
            }
            // retry and cancel send nothing; refine sends the rest of the words as its prompt.
            HttpRequest.BodyPublisher sent = refine ? HttpRequest.BodyPublishers.ofString(JobBoard.JSON.createObjectNode()
                    .put("prompt", String.join(" ", words.subList(2, words.size()))).toString()) : HttpRequest.BodyPublishers.noBody();
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/jobs/"
                    + URLEncoder.encode(words.get(1), StandardCharsets.UTF_8).replace("+", "%20") + "/" + words.get(0)))
                    .header("Content-Type", "application/json").POST(sent));
            JsonNode body = JobBoard.JSON.readTree(r.body());
            if (r.statusCode() / 100 == 2) {
                out.println(switch (words.get(0)) {
                    case "retry" -> "Retried: " + words.get(1) + " is back in the inbox as " + body.path("inbox").asText();
                    case "refine" -> "Refining " + body.path("refines").asText() + ": job " + body.path("job").asText()
                            + " is in the inbox; its video will be the next version";
                    default -> "Cancelling " + words.get(1) + ": it stops at its next step";
                });
                return 0;
            }
            out.println("Not done (" + r.statusCode() + "): " + body.path("message").asText(r.body()));
            return 1;
        } catch (IOException e) {
            out.println("Cannot reach Reelbox at " + base + ": " + e.getMessage() + ". Is the daemon running?");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Where the daemon listens: {@code --port}, the configured port, or the one it wrote into its work dir. */
    String baseUrl(Integer port) throws IOException {
        String host = settings.get("reelbox.http.host");
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (port != null) {
            return "http://" + h + ":" + port;
        }
        int configured = settings.integer("reelbox.http.port");
        if (configured != 0) {
            return "http://" + h + ":" + configured;
        }
        Path file = settings.path("reelbox.work-dir").resolve("http.json");
        if (!Files.exists(file)) {
            throw new IOException("reelbox.http.port is 0 and " + file + " does not exist");
        }
        return JobBoard.JSON.readTree(file.toFile()).path("url").asText();
    }

    /**
     * Whether the daemon is alive ({@code /observe/health/live} says UP): exit 0, else 1. A container's health check,
     * which needs no curl in the image.
     */
    private int health(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/observe/health/live")).GET());
        out.println(r.statusCode() == 200 ? "UP" : "DOWN (" + r.statusCode() + "): " + r.body());
        return r.statusCode() == 200 ? 0 : 1;
    }

    private int status(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/jobs")).GET());
        if (r.statusCode() != 200) {
            out.println("Reelbox at " + base + " answered " + r.statusCode() + ": " + r.body());
            return 1;
        }
        JsonNode v = JobBoard.JSON.readTree(r.body());
        String state = v.path("intake").path("state").asText();
        out.println("Reelbox at " + base + " — intake: " + (state.equals("running") ? "taking jobs" : state.replace('-', ' '))
                + (v.path("intake").has("message") ? " (" + v.path("intake").path("message").asText() + ")" : ""));
        section("RUNNING", v.path("running"));
        for (JsonNode j : v.path("running")) {
            String progress = j.has("progress") ? bar(j.path("progress").asInt()) + String.format(Locale.ROOT, " %3d%%", j.path("progress").asInt())
                    : " ".repeat(BAR + 7);
            out.printf(Locale.ROOT, "  %-28s %-16s %s %-12s %s%n", cut(j.path("name").asText(), 28),
                    j.path("state").asText().equals("running") ? j.path("stage").asText() : j.path("state").asText(), progress,
                    j.has("eta_s") ? "ETA " + time(j.path("eta_s").asDouble()) : "", "running " + time(j.path("elapsed_s").asDouble()));
        }
        section("WAITING", v.path("waiting"));
        for (JsonNode j : v.path("waiting")) {
            out.printf(Locale.ROOT, "  %-28s since %s%n", cut(j.path("name").asText(), 28), ago(j.path("since").asText()));
        }
        section("DONE", v.path("done"));
        for (JsonNode j : v.path("done")) {
            out.printf(Locale.ROOT, "  %-28s %-9s %-28s %s%n", cut(j.path("name").asText(), 28), time(j.path("duration_s").asDouble()),
                    cut(j.path("videos").path(0).asText(""), 28), ago(j.path("finished_at").asText()));
        }
        section("FAILED", v.path("failed"));
        for (JsonNode j : v.path("failed")) {
            out.printf(Locale.ROOT, "  %-28s %-16s at %-9s %s%n", cut(j.path("name").asText(), 28), j.path("code").asText(),
                    j.path("stage").asText(), ago(j.path("failed_at").asText()));
            out.println("      " + j.path("message").asText());
            out.println("      " + j.path("hint").asText());
            out.println("      retry: reelbox retry " + j.path("id").asText());
        }
        return 0;
    }

    private void section(String title, JsonNode list) {
        out.println();
        out.println(title + " (" + list.size() + ")" + (list.isEmpty() ? ": none" : ""));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String password = settings.get("reelbox.http.password", "");
        if (!password.isEmpty()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (settings.get("reelbox.http.user", "reelbox") + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String bar(int percent) {
        int full = Math.max(0, Math.min(BAR, Math.round(percent * BAR / 100f)));
        return "[" + "#".repeat(full) + "-".repeat(BAR - full) + "]";
    }

    private static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }

    private static String ago(String iso) {
        try {
            return time(Duration.between(Instant.parse(iso), Instant.now()).toSeconds()) + " ago";
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private int usage() {
        out.println("usage: java -jar reelbox.jar status [--port N]\n"
                + "       java -jar reelbox.jar retry JOB-ID [--port N]\n"
                + "       java -jar reelbox.jar cancel JOB-ID [--port N]\n"
                + "       java -jar reelbox.jar refine JOB-ID|VIDEO \"what to change\" [--port N]\n"
                + "       java -jar reelbox.jar health [--port N]   (exit 0 when the daemon is alive)");
        return 2;
    }
}
