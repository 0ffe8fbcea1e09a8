package io.reelbox.local.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a file a {@code Range} header asks for ({@code bytes=a-b}, {@code a-}, {@code -n}), so a player can
 * seek. A header this does not read (several ranges, other units) means the whole file, as HTTP allows.
 *
 * @param start first byte
 * @param end last byte, inclusive
 * @param partial a range was asked for and can be met: answer 206 with {@link #contentRange}
 * @param satisfiable false: answer 416 with {@code Content-Range: bytes *&#47;size}
 */
public record ByteRange(long start, long end, long size, boolean partial, boolean satisfiable) {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public static ByteRange of(String header, long size) {
        Matcher m = header == null ? null : RANGE.matcher(header.strip());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new ByteRange(0, size - 1, size, false, true);
        }
        long start;
        long end = size - 1;
        if (m.group(1).isEmpty()) {
            start = Math.max(0, size - Long.parseLong(m.group(2)));
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        boolean ok = start <= end && start < size;
        return new ByteRange(start, end, size, ok, ok);
    }

    public long length() {
        return end - start + 1;
    }

    /** The {@code Content-Range} header of the answer: the range sent, or {@code *} when it could not be met. */
    public String contentRange() {
        return satisfiable ? "bytes " + start + "-" + end + "/" + size : "bytes */" + size;
    }
}
