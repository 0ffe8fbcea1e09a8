package io.reelbox.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends: any {@code Host} (or none), any
 * {@code Origin}. Java's HttpClient refuses to set {@code Host}; an attacker's browser is not so polite.
 */
public final class RawHttp {

    /** An answer: status, headers (names in lower case; the last of repeated ones) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String address;
    private final int port;

    /** {@code base}: the server's URL, whose host must be an IP address (the socket goes there, whatever Host says). */
    public RawHttp(String base) {
        URI uri = URI.create(base);
        this.address = uri.getHost();
        this.port = uri.getPort();
    }

    public int port() {
        return port;
    }

    /** {@code headers}: name, value, name, value…; a {@code Host} among them replaces the default, a null value drops it. */
    public Answer send(String method, String path, byte[] body, String... headers) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", address + ":" + port);
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        all.values().removeIf(v -> v == null);
        all.put("Connection", "close");
        if (body != null) {
            all.put("Content-Length", String.valueOf(body.length));
        }
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getByName(address), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // The server may answer and close before reading a refused body; its answer is still there to read.
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    public Answer get(String path, String... headers) throws IOException {
        return send("GET", path, null, headers);
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (java.net.SocketException e) {
            // a reset after the answer arrived
        }
        // One char a byte, so that chunk sizes count right; the body is decoded as UTF-8 at the end.
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
