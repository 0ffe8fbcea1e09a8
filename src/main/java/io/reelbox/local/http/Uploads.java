package io.reelbox.local.http;

import static io.reelbox.local.http.Answers.detail;
import static io.reelbox.local.http.Answers.error;
import static io.reelbox.local.http.Answers.fail;
import static io.reelbox.local.http.Answers.refuseUnread;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.reelbox.failure.LocalIo;
import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.analysis.MediaAnalysis;
import io.reelbox.local.session.Session;

/**
 * Uploads into a session: multipart field {@code files}, streamed to disk, or {@code {"urls":[…]}} ({@code file:}
 * URLs under the allowed roots, http(s) on loopback only). Each file is probed and analysed before it counts: 4001
 * for a type it does not take or a file ffmpeg cannot read, 4002 over the size limit, 507 when the disk is full.
 */
final class Uploads {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

    private final LocalBackend.Config config;
    private final List<Path> fileRoots;
    private final MediaAnalysis analysis = new MediaAnalysis();

    Uploads(LocalBackend.Config config, List<Path> fileRoots) {
        this.config = config;
        this.fileRoots = fileRoots;
    }

    /** The media the request carries, stored and probed; answers 400 itself when there are none. */
    List<MediaInfo> receive(HttpExchange ex, Session s) throws IOException {
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        List<MediaInfo> added = new ArrayList<>();
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            for (JsonNode u : Answers.readJson(ex).path("urls")) {
                added.add(fetch(ex, s, u.asText()));
            }
        } else {
            try {
                FileItemInputIterator parts = new MultipartReader().getItemIterator(ex);
                while (parts.hasNext()) {
                    FileItemInput part = parts.next();
                    if (part.isFormField() || !"files".equals(part.getFieldName())) {
                        continue;
                    }
                    try (InputStream in = part.getInputStream()) {
                        added.add(store(ex, s, part.getName(), in));
                    }
                }
            } catch (FileUploadException e) {
                throw fail(ex, 400, detail("malformed multipart body: " + e.getMessage()));
            }
        }
        if (added.isEmpty()) {
            throw fail(ex, 400, detail("no files: send multipart field 'files' or {\"urls\":[…]}"));
        }
        return added;
    }

    /** Streams one upload to disk, refusing unsupported types (4001) and files over the limit (4002). */
    private MediaInfo store(HttpExchange ex, Session s, String rawName, InputStream in) throws IOException {
        String name = Path.of(rawName == null || rawName.isBlank() ? "file" : rawName).getFileName().toString();
        MediaKind kind = MediaKind.byName(name).orElse(null);
        if (kind == null) {
            throw refuseUnread(ex, error(4001, "unsupported file type: " + name + "; accepted: " + MediaKind.ACCEPTED));
        }
        String id = s.uniqueName(name);
        Path target = s.dir().resolve(id);
        Path part = s.dir().resolve("." + id + ".part");
        long n = 0;
        try (OutputStream out = openForUpload(ex, part, in)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
                if (n > config.maxUpload()) {
                    out.close();
                    Files.deleteIfExists(part);
                    throw refuseUnread(ex, error(4002, name + " is larger than " + config.maxUpload() / 1_000_000 + " MB"));
                }
                try {
                    out.write(buf, 0, r);
                } catch (IOException e) {
                    out.close();
                    Files.deleteIfExists(part);
                    throw refuseDiskFull(ex, in, e);
                }
            }
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return probe(ex, id, target, kind);
    }

    private OutputStream openForUpload(HttpExchange ex, Path part, InputStream in) throws IOException {
        try {
            return Files.newOutputStream(part);
        } catch (IOException e) {
            throw refuseDiskFull(ex, in, e);
        }
    }

    /**
     * The upload cannot be stored because this backend's disk is full: HTTP 507 with a JSON body naming the disk, so
     * the client can tell the user what to free, instead of a dropped connection that looks like a network fault.
     * The rest of the request is read first (and thrown away): a client still sending its body would otherwise meet
     * a closed connection before the answer. Other write errors go on as they are.
     */
    private IOException refuseDiskFull(HttpExchange ex, InputStream part, IOException e) throws IOException {
        if (!LocalIo.isFull(e)) {
            return e;
        }
        Path disk = config.dir();
        LOG.warn("Local backend: no space left to store an upload in {} ({})", disk, e.getMessage());
        part.transferTo(OutputStream.nullOutputStream());
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        throw fail(ex, 507, Answers.JSON.createObjectNode().put("code", 507).put("disk", disk.toString())
                .put("message", "no space left on the embedded backend's disk (" + disk + ") to store the upload: " + e.getMessage()));
    }

    private MediaInfo probe(HttpExchange ex, String id, Path file, MediaKind kind) throws IOException {
        try {
            return analysis.analyse(config.ffmpeg(), MediaInfo.probe(config.ffmpeg(), id, file, kind));
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw fail(ex, 200, error(4001, e.getMessage()));
        }
    }

    /**
     * The file a {@code file:} URL names, once links and {@code ..} are resolved, if it lies under one of the
     * configured roots ({@code reelbox.local.file-roots}; the embedded backend adds its daemon's inbox): a backend
     * that any local client can reach must not hand out whatever file its process can read.
     */
    private Path allowedFile(HttpExchange ex, URI uri, String url) throws IOException {
        Path real;
        try {
            real = Path.of(uri).toRealPath();
        } catch (java.nio.file.NoSuchFileException | IllegalArgumentException e) {
            throw fail(ex, 422, detail("no such file: " + url));
        }
        if (fileRoots.stream().noneMatch(real::startsWith)) {
            throw fail(ex, 200, error(4001, "file: URLs are taken only from " + (fileRoots.isEmpty() ? "no folder"
                    : fileRoots.toString()) + " (reelbox.local.file-roots); " + url + " is not under them"));
        }
        return real;
    }

    /** URL uploads: {@code file:} URLs under the roots, and http(s) only on loopback — it never reaches out to the net. */
    private MediaInfo fetch(HttpExchange ex, Session s, String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw fail(ex, 422, detail("not a URL: " + url));
        }
        String name = Path.of(Optional.ofNullable(uri.getPath()).orElse("file")).getFileName().toString();
        if ("file".equals(uri.getScheme())) {
            Path file = allowedFile(ex, uri, url);
            try (InputStream in = Files.newInputStream(file)) {
                return store(ex, s, name, in);
            }
        }
        // Judged from the text alone: resolving a name would already reach out to the network.
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || host.equals("[::1]") || host.equals("::1");
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || !loopback) {
            throw fail(ex, 422, detail("the local backend fetches only file: URLs and http(s) URLs on loopback, not " + url));
        }
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw fail(ex, 422, detail(url + " answered " + r.statusCode()));
            }
            try (InputStream in = r.body()) {
                return store(ex, s, name, in);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
