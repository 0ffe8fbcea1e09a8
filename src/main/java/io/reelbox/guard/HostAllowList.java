package io.reelbox.guard;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.reelbox.config.Settings;

/**
 * The names a Reelbox server answers to, whatever address it listens on: IP addresses, {@code localhost} and
 * {@code *.localhost} (which no DNS server can hand to an attacker), and {@code reelbox.http.allowed-hosts}. A page
 * that rebinds its own DNS name to 127.0.0.1 still sends that name as {@code Host}, so it is refused here. Ports are
 * not compared: an SSH tunnel or a published container port changes them.
 */
public final class HostAllowList {

    public static final String SETTING = "reelbox.http.allowed-hosts";

    private final List<String> names;
    private final List<String> suffixes;
    private final boolean any;

    private HostAllowList(List<String> entries) {
        this.any = entries.contains("*");
        this.names = entries.stream().filter(e -> !e.startsWith("*")).toList();
        this.suffixes = entries.stream().filter(e -> e.startsWith("*.")).map(e -> e.substring(1)).toList();
    }

    /** {@code entries}: comma-separated names, {@code *.example.lan} for every name under one, {@code *} for any. */
    public static HostAllowList of(String entries) {
        return new HostAllowList(Arrays.stream(entries.split(",")).map(e -> e.strip().toLowerCase(Locale.ROOT))
                .map(e -> e.endsWith(".") ? e.substring(0, e.length() - 1) : e).filter(e -> !e.isEmpty()).toList());
    }

    public static HostAllowList of(Settings settings) {
        return of(settings.get(SETTING, ""));
    }

    /** Whether every name is let in ({@code *}): no defence against DNS rebinding is left. */
    public boolean anyName() {
        return any;
    }

    public boolean allows(String hostHeader) {
        return Authority.ofHost(hostHeader).filter(this::allows).isPresent();
    }

    public boolean allows(Authority host) {
        String name = host.host();
        return host.literal() || any || name.equals("localhost") || name.endsWith(".localhost") || names.contains(name)
                || suffixes.stream().anyMatch(name::endsWith);
    }

    /** What the refusal says it answers to. */
    public String describe() {
        return "IP addresses, localhost and " + SETTING + " (" + (names.isEmpty() && suffixes.isEmpty() ? "empty"
                : String.join(", ", names) + (suffixes.isEmpty() ? "" : (names.isEmpty() ? "" : ", ")
                + String.join(", ", suffixes.stream().map(s -> "*" + s).toList()))) + ")";
    }
}
