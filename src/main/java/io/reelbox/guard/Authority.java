package io.reelbox.guard;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host and port that a {@code Host} header or an {@code Origin} names, parsed strictly and without any name
 * lookup: a header that does not parse cleanly is refused, never guessed at.
 *
 * @param host    lower case, without a trailing dot; an IPv6 address without its brackets
 * @param port    the port written in the header, or -1 when none was
 * @param literal the host is an IP address, not a name (a DNS rebinding attack needs a name)
 */
public record Authority(String host, int port, boolean literal) {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    /** A {@code Host} header's value ({@code name}, {@code name:port}, {@code 1.2.3.4:port}, {@code [::1]:port}). */
    public static Optional<Authority> ofHost(String header) {
        if (header == null || header.isBlank() || header.length() > 300) {
            return Optional.empty();
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        String host;
        String port = null;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = h.substring(1, close);
            String rest = h.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
            if (!IPV6.matcher(host).matches() || !isAddress(host)) {
                return Optional.empty();
            }
            return withPort(host, port, true);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            host = h.substring(0, colon);
            port = h.substring(colon + 1);
        } else {
            host = h;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (IPV4.matcher(host).matches()) {
            return withPort(host, port, true);
        }
        return NAME.matcher(host).matches() ? withPort(host, port, false) : Optional.empty();
    }

    /**
     * An {@code Origin} header's value ({@code scheme://host[:port]}), with the scheme's default port filled in;
     * {@code null}, {@code "null"} and anything with a path, a user or an unknown scheme give empty.
     */
    public static Optional<Authority> ofOrigin(String origin) {
        if (origin == null || origin.equals("null")) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("http") ? 80 : scheme.equals("https") ? 443 : -1;
        if (defaultPort < 0 || uri.getRawAuthority() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            return Optional.empty();
        }
        return ofHost(uri.getRawAuthority()).map(a -> a.port >= 0 ? a : new Authority(a.host, defaultPort, a.literal));
    }

    /**
     * Whether an {@code Origin} (as {@link #ofOrigin} gives it, port filled in) names the same server as this
     * {@code Host}. A browser leaves the port out of Host only for its scheme's default port (80 or 443).
     */
    public boolean sameServerAs(Authority origin) {
        return host.equals(origin.host) && (port < 0 ? origin.port == 80 || origin.port == 443 : port == origin.port);
    }

    /** For messages and the log: at most 100 printable characters of what a client sent. */
    public static String printable(String header) {
        if (header == null) {
            return "(none)";
        }
        String s = header.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    private static Optional<Authority> withPort(String host, String port, boolean literal) {
        if (port == null) {
            return Optional.of(new Authority(host, -1, literal));
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            return Optional.empty();
        }
        return Optional.of(new Authority(host, Integer.parseInt(port), literal));
    }

    /** Parses an IPv6 literal; {@link InetAddress#getByName} looks nothing up for a string of hex digits and colons. */
    private static boolean isAddress(String ipv6) {
        try {
            return InetAddress.getByName(ipv6) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
