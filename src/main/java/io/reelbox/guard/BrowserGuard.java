package io.reelbox.guard;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps web pages from driving or reading a Reelbox server that the user's browser can reach. Two independent checks,
 * because either alone is beaten: the {@code Host} against a fixed list (DNS rebinding makes a hostile page
 * same-origin, so it could read any secret the page can fetch), and the {@code Origin} and {@code Sec-Fetch-Site} of
 * anything that is not a plain read (a multipart POST is a "simple" request: no preflight protects it).
 * A request with neither header is a plain client (curl, scripts, the status command) and passes.
 */
public final class BrowserGuard {

    /** The request's parts the checks read; {@code null} where the header is absent. */
    public record Request(String method, String path, String host, String origin, String fetchSite) {
    }

    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final HostAllowList hosts;
    private final Predicate<String> publicPath;

    /** {@code publicPath}: pages a link from anywhere may open (the dashboard itself); every other GET is private. */
    public BrowserGuard(HostAllowList hosts, Predicate<String> publicPath) {
        this.hosts = hosts;
        this.publicPath = publicPath;
    }

    public Optional<Refusal> check(Request r) {
        Optional<Refusal> wrongName = checkHost(r.host());
        if (wrongName.isPresent()) {
            return wrongName;
        }
        Authority host = Authority.ofHost(r.host()).orElseThrow();
        boolean read = r.method().equals("GET") || r.method().equals("HEAD");
        if (read && publicPath.test(r.path())) {
            return Optional.empty();
        }
        if (r.origin() != null) {
            Optional<Authority> origin = Authority.ofOrigin(r.origin());
            if (origin.isEmpty() || !host.sameServerAs(origin.get())) {
                return Optional.of(new Refusal(403, "origin", (r.origin().equals("null")
                        ? "A page with no origin of its own (Origin: null: a sandboxed frame, a file or a redirect)"
                        : "The page at " + Authority.printable(r.origin())) + " is not this Reelbox's dashboard, and "
                        + (read ? "may not read its jobs." : "may not change anything here.")
                        + " Use the dashboard at this server's own address, or a client that sends no Origin (curl, scripts, the status command).",
                        "Origin " + Authority.printable(r.origin())));
            }
        }
        if (r.fetchSite() != null && !OWN_SITE.contains(r.fetchSite())) {
            return Optional.of(new Refusal(403, "fetch-site", "The browser says this request came from another site (Sec-Fetch-Site: "
                    + Authority.printable(r.fetchSite()) + "). Only this Reelbox's own dashboard may "
                    + (read ? "read its jobs." : "change anything here."), "Sec-Fetch-Site " + Authority.printable(r.fetchSite())));
        }
        return Optional.empty();
    }

    /** The Host check alone: for a server no browser has business with (the local backend's API). */
    public Optional<Refusal> checkHost(String hostHeader) {
        Optional<Authority> host = Authority.ofHost(hostHeader);
        if (host.isPresent() && hosts.allows(host.get())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(421, "host", "This Reelbox does not answer to the name '" + Authority.printable(hostHeader)
                + "'. It answers to " + hosts.describe() + ". A web page may be trying to reach it through a DNS name"
                + " of its own (DNS rebinding); if you use that name yourself (a reverse proxy, a LAN name), add it to "
                + HostAllowList.SETTING + ".", "Host " + Authority.printable(hostHeader)));
    }
}
