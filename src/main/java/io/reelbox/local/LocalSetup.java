package io.reelbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.reelbox.config.Settings;
import io.reelbox.local.http.LocalBackend;

/** Builds a {@link LocalBackend} from the settings: finds ffmpeg, unpacks the title font, picks the folders. */
public final class LocalSetup {

    private static final String FONT = "fonts/DejaVuSans-Bold.ttf";

    private LocalSetup() {
    }

    /** {@code ownRoots}: folders whose files it may take by {@code file:} URL besides {@code reelbox.local.file-roots}. */
    public static LocalBackend start(Settings settings, Path workDir, int port, List<Path> ownRoots) throws IOException {
        return start(settings, workDir, java.net.InetAddress.getLoopbackAddress(), port, ownRoots);
    }

    /** On {@code host}: a render node for daemons on other machines. */
    public static LocalBackend start(Settings settings, Path workDir, java.net.InetAddress host, int port, List<Path> ownRoots)
            throws IOException {
        Path dir = workDir.resolve("local");
        Ffmpeg ffmpeg = Ffmpeg.locate(settings.get("reelbox.local.ffmpeg", ""), workDir.resolve("bin"));
        List<Path> roots = new ArrayList<>(ownRoots);
        Arrays.stream(settings.get("reelbox.local.file-roots", "").split(",")).map(String::strip).filter(r -> !r.isEmpty())
                .map(Path::of).forEach(roots::add);
        return LocalBackend.start(new LocalBackend.Config(dir, ffmpeg, font(dir), settings.bytes("reelbox.upload.max-size"),
                settings.integer("reelbox.local.render-concurrency"), renderParts(settings), settings.duration("reelbox.local.retention"),
                roots, io.reelbox.guard.HostAllowList.of(settings), loudness(settings)), host, port);
    }

    private static double loudness(Settings settings) {
        String raw = settings.get("reelbox.local.loudness", "-14").strip();
        double lufs;
        try {
            lufs = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            lufs = Double.NaN;
        }
        if (!(lufs >= -31 && lufs <= -5)) {
            throw new IllegalStateException("Setting 'reelbox.local.loudness' must be a loudness in LUFS from -31 to -5 "
                    + "(-14 for social video, -16, -23 for broadcast), got '" + raw + "'");
        }
        return lufs;
    }

    private static int renderParts(Settings settings) {
        int parts = settings.integer("reelbox.local.render-parts");
        if (parts != 1 && parts != 2) {
            throw new IllegalStateException("Setting 'reelbox.local.render-parts' must be 1 or 2, got " + parts);
        }
        return parts;
    }

    /** The shipped font as a file ffmpeg can open (a fresh machine may have no fonts at all). */
    public static Path font(Path dir) throws IOException {
        Path target = dir.resolve("fonts").resolve("DejaVuSans-Bold.ttf");
        if (Files.exists(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = LocalSetup.class.getClassLoader().getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IOException("the title font " + FONT + " is missing from the build");
            }
            Path tmp = Files.createTempFile(target.getParent(), ".font", ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
