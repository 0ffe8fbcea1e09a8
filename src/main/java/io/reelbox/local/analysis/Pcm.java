package io.reelbox.local.analysis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import io.reelbox.local.Ffmpeg;


/** A medium's sound as mono samples at one rate, decoded by ffmpeg: what every audio analysis reads. */
public record Pcm(float[] samples, int rate) {

    /** Decodes the first audio stream of {@code file} to mono at {@code rate} Hz, at most {@code maxSeconds} of it. */
    public static Pcm decode(Ffmpeg ffmpeg, Path file, int rate, double maxSeconds) throws IOException {
        Process p = ffmpeg.start(List.of("-v", "error", "-i", file.toString(), "-t", String.valueOf(maxSeconds), "-vn", "-ac", "1",
                "-ar", String.valueOf(rate), "-f", "f32le", "-"), null);
        p.getErrorStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        int exit = Ffmpeg.awaitExit(p, 60, "finish decoding " + file.getFileName());
        if (exit != 0) {
            throw new IOException("ffmpeg could not decode the sound of " + file.getFileName() + " (exit " + exit + ")");
        }
        ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] samples = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(samples);
        return new Pcm(samples, rate);
    }

    public double seconds() {
        return samples.length / (double) rate;
    }
}
