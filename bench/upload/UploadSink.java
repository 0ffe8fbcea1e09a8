import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for the API that answers just enough for the daemon to reach the upload, then swallows
 * uploads while timing them. Each upload appends "bytes seconds MB/s" to the results file. The prompt answers an
 * in-stream error, so the daemon's job ends in .failed/ right after the measured step.
 * Usage: java UploadSink.java PORT RESULTS_FILE
 */
public class UploadSink {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path results = Path.of(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/upload-video/")) {
                long t0 = System.nanoTime();
                long n = drain(ex.getRequestBody());
                double s = (System.nanoTime() - t0) / 1e9;
                Files.writeString(results, String.format("%d %.3f %.1f%n", n, s, n / 1e6 / s),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                reply(ex, 200, "{\"code\":0,\"data\":{\"files\":[{\"filename\":\"big.mp4\",\"file_type\":\"video\"}]}}");
            } else if (path.equals("/api/auth/anonymous-token")) {
                reply(ex, 200, "{\"code\":0,\"data\":{\"token\":\"nmv_usr_bench\",\"user_id\":\"anon_bench\",\"expires_at\":\"2099-01-01T00:00:00Z\"}}");
            } else if (path.startsWith("/api/tasks/")) {
                reply(ex, 200, "{\"code\":0,\"data\":{\"task_id\":\"t\",\"session_id\":\"s1\"}}");
            } else if (path.startsWith("/api/credits/")) {
                reply(ex, 200, "{\"code\":0,\"data\":{\"available\":100,\"frozen\":0,\"total\":100}}");
            } else if (path.startsWith("/api/state/")) {
                reply(ex, 200, "{\"code\":0,\"data\":{\"state\":{}}}");
            } else if (path.equals("/run_sse")) {
                drain(ex.getRequestBody());
                ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                reply(ex, 200, "data: {\"error\":\"benchmark sink: the measured step was the upload\"}\n\n");
            } else {
                reply(ex, 404, "{\"detail\":\"Not Found\"}");
            }
        });
        server.start();
        System.out.println("sink listening on 127.0.0.1:" + port);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            n += r;
        }
        return n;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
