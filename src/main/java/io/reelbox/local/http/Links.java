package io.reelbox.local.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

/**
 * Plain GET links, like a CDN's: an unguessable name (128 random bits) for each served file, which is its own
 * credential, so clients fetch a medium's {@code cdn_url} and a render's {@code output.url} without a bearer token.
 * Served with their length and one byte range when asked, so a player can seek.
 */
final class Links {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, String> renders = new ConcurrentHashMap<>();
    private final Supplier<String> baseUrl;

    Links(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A new link to {@code file}, whole for the asking client. */
    String to(HttpExchange ex, Path file) {
        return origin(ex) + path(file);
    }

    /** The one link of a finished render, made when it is first asked for. */
    String toRender(HttpExchange ex, String renderId, Path output) {
        return origin(ex) + renders.computeIfAbsent(renderId, key -> path(output));
    }

    private String path(Path file) {
        String name = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        files.put(name, file);
        return "/files/" + name + "/" + file.getFileName();
    }

    /** Answers {@code GET /files/<name>/…}. */
    void serve(HttpExchange ex, String name) throws IOException {
        Path file = files.get(name);
        if (file == null || !Files.isRegularFile(file)) {
            Answers.send(ex, 404, Answers.detail("no such file (links expire with the retention)"));
        } else {
            serveFile(ex, file);
        }
    }

    /** Forgets the links of files that are gone, and of renders that were swept. */
    void sweep(java.util.Set<String> renderIdsKept) {
        renders.keySet().retainAll(renderIdsKept);
        files.values().removeIf(f -> !Files.exists(f));
    }

    /**
     * Where the client reached this server: links must work from its machine, which for a render node on the network
     * is not 127.0.0.1. The request's {@code Host}, when it is a plain host and port; else the bound address.
     */
    private String origin(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        return host != null && host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?") ? "http://" + host : baseUrl.get();
    }

    /** A file with its length, and one byte range when asked ({@link ByteRange}); a range that cannot be met is 416. */
    static void serveFile(HttpExchange ex, Path file) throws IOException {
        ByteRange range = ByteRange.of(ex.getRequestHeaders().getFirst("Range"), Files.size(file));
        if (!range.satisfiable()) {
            ex.getResponseHeaders().set("Content-Range", range.contentRange());
            ex.sendResponseHeaders(416, -1);
            return;
        }
        int status = 200;
        if (range.partial()) {
            status = 206;
            ex.getResponseHeaders().set("Content-Range", range.contentRange());
        }
        long start = range.start();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ex.getResponseHeaders().set("Content-Type", name.endsWith(".mp4") ? "video/mp4" : "application/octet-stream");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        long length = range.length();
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody(); var ch = FileChannel.open(file)) {
            var target = Channels.newChannel(out);
            for (long sent = 0; sent < length; ) {
                sent += ch.transferTo(start + sent, length - sent, target);
            }
        }
    }
}
