package io.reelbox.inbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reelbox.failure.Failure;
import io.reelbox.failure.JobFailure;

/**
 * Finds jobs in the inbox that are ready and claims them by moving their files into
 * {@code inbox/.processing/<job-id>/}. The move is the claim: once a sidecar has left the inbox no second scan or
 * second daemon can start it again. Runs on one thread (the intake timer).
 */
public final class InboxScanner {

    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    /** The claim's time in a job id ({@code <name>-<time>-<random>@<owner>}). */
    private static final java.util.regex.Pattern CLAIM_TIME = java.util.regex.Pattern.compile("-(\\d{8}T\\d{6})-[0-9a-f]{4}@[^@]+$");
    private static final List<String> FOLDER_SIDECARS = List.of("job.yaml", "job.yml", "job.json", "job.txt");

    /** Where things live; see the inbox contract in README.md. */
    public record Layout(Path inbox) {
        public Path processing() {
            return inbox.resolve(".processing");
        }

        public Path done() {
            return inbox.resolve(".done");
        }

        public Path failed() {
            return inbox.resolve(".failed");
        }
    }

    /** The tunables one scan uses, read fresh for every scan. */
    public record Rules(Duration stableFor, Duration mediaTimeout, int maxPromptLength) {
    }

    private record Candidate(String name, boolean folder, Path base, Path sidecar, JobFailure problem) {
    }

    /** A job found ready: what to claim, and why it is refused when it is. */
    private record Decision(Candidate candidate, List<Path> media, JobSpec spec, JobFailure problem) implements Ready {

        /** The bytes of the job's local files (the sidecar and its media; a folder job's whole folder). */
        @Override
        public long bytes() throws IOException {
            long n = 0;
            if (candidate.folder()) {
                try (Stream<Path> files = Files.walk(candidate.base())) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        n += Files.size(f);
                    }
                }
                return n;
            }
            for (Path m : media) {
                n += Files.size(m);
            }
            return n + (candidate.sidecar() == null ? 0 : Files.size(candidate.sidecar()));
        }
    }

    private final Layout layout;
    private final Clock clock;
    private final Stability stability;
    private final Map<Path, Instant> firstSeen = new HashMap<>();
    private final java.util.Set<Path> seenSidecars = new java.util.HashSet<>();
    private Rules scanRules;
    private Instant scanTime;
    private final String owner;
    /** Media recently taken by a job, so a second sidecar naming them fails at once instead of waiting for them. */
    private final Map<Path, String> claimedBy = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, String> eldest) {
            return size() > 10_000;
        }
    };

    /**
     * {@code owner} names this daemon in its claims ({@code <job-id>} ends in {@code @<owner>}): several daemons may
     * share one inbox, and each must only ever touch the claims it made itself.
     */
    public InboxScanner(Layout layout, Clock clock, String owner) {
        this.owner = owner;
        this.layout = layout;
        this.clock = clock;
        this.stability = new Stability(layout.inbox());
    }

    public Layout layout() {
        return layout;
    }

    public static boolean ignored(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.startsWith(".") || name.startsWith("~") || lower.endsWith(".part") || lower.endsWith(".tmp")
                || lower.endsWith(".crdownload");
    }

    /**
     * This daemon's folders in {@code .processing/} that no journal entry knows: a claim it did not finish recording
     * (it died in between). They go back to the inbox as folder jobs under their job name, to be taken again; a name
     * already taken sends them to {@code .failed/} instead. Nothing is deleted. Other daemons' claims are left alone.
     */
    public void returnUnclaimed(java.util.function.Predicate<Path> known) throws IOException {
        giveBack(dir -> dir.getFileName().toString().endsWith("@" + owner), known, "its claim was interrupted");
    }

    /**
     * In a cluster: any node's folders in {@code .processing/} that were claimed more than {@code olderThan} ago (the
     * time is in the job id) and that no journal knows. Their node died between the claim's move and its first
     * journal write, and may never start again; they go back to the inbox as {@link #returnUnclaimed} does.
     */
    public void returnOrphans(java.util.function.Predicate<Path> known, java.time.Duration olderThan) throws IOException {
        java.time.Instant before = clock.instant().minus(olderThan);
        giveBack(dir -> claimedAt(dir.getFileName().toString()).map(t -> t.isBefore(before)).orElse(false), known,
                "its node stopped before recording the claim");
    }

    private static java.util.Optional<java.time.Instant> claimedAt(String jobId) {
        java.util.regex.Matcher m = CLAIM_TIME.matcher(jobId);
        return m.find() ? java.util.Optional.of(java.time.Instant.from(ID_TIME.parse(m.group(1)))) : java.util.Optional.empty();
    }

    private void giveBack(java.util.function.Predicate<Path> candidate, java.util.function.Predicate<Path> known, String why)
            throws IOException {
        if (!Files.isDirectory(layout.processing())) {
            return;
        }
        for (Path dir : sorted(layout.processing())) {
            if (!Files.isDirectory(dir) || !candidate.test(dir) || known.test(dir)) {
                continue;
            }
            String name = CLAIM_TIME.matcher(dir.getFileName().toString()).replaceFirst("");
            Path home = layout.inbox().resolve(name);
            try {
                if (!Files.exists(home)) {
                    Files.move(dir, home);
                    LOG.warn("Returned {} to the inbox: {}", home, why);
                } else {
                    Path failed = FreeName.move(dir, layout.failed(), name, "");
                    LOG.warn("Moved interrupted claim {} to {}: {} is taken in the inbox", dir.getFileName(), failed, name);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // another node gave it back first
            }
        }
    }

    /** A job in the inbox, not yet claimed: its name and when its sidecar (or folder) last changed. */
    public record Waiting(String name, java.time.Instant since) {
    }

    /** The jobs in the inbox, ready or still arriving, in the order intake takes them. */
    public List<Waiting> waiting() throws IOException {
        if (!Files.isDirectory(layout.inbox())) {
            return List.of();
        }
        List<Waiting> out = new ArrayList<>();
        for (Candidate c : candidates()) {
            Path p = c.sidecar() != null ? c.sidecar() : c.base();
            java.time.Instant since;
            try {
                since = Files.getLastModifiedTime(p).toInstant();
            } catch (IOException gone) {
                continue; // claimed or removed while listing
            }
            out.add(new Waiting(c.name(), since));
        }
        return out;
    }

    /** The sidecars of the jobs in the inbox now (absolute paths), as the intake's file consumer names them. */
    public List<Path> sidecars() throws IOException {
        if (!Files.isDirectory(layout.inbox())) {
            return List.of();
        }
        return candidates().stream().map(Candidate::sidecar).filter(java.util.Objects::nonNull)
                .map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** How many jobs are in the inbox, ready or still arriving. */
    public int waitingJobs() throws IOException {
        return Files.isDirectory(layout.inbox()) ? candidates().size() : 0;
    }

    /**
     * Starts a scan: times every file in the inbox from its first sighting. The intake's file consumer calls it at the
     * start of each poll, {@link #ready} for each sidecar it lists, {@link #claim} for each it takes, then
     * {@link #endScan}.
     */
    public void beginScan(Rules rules) throws IOException {
        Files.createDirectories(layout.inbox());
        scanRules = rules;
        scanTime = clock.instant();
        seenSidecars.clear();
        stability.beginScan();
        observeAll(rules.stableFor(), scanTime);
    }

    /**
     * The job the sidecar at {@code path} starts, when it can be claimed now: its media present and stable, or the
     * job refused (it is claimed all the same, to end in {@code .failed/} with the reason). Empty while it is not
     * ready, and for a file that is not a job's sidecar: a media file, a second sidecar in a folder, a name to ignore.
     */
    public Optional<Ready> ready(Path path) {
        Candidate c = candidateFor(path.toAbsolutePath().normalize());
        if (c == null || scanRules == null) {
            return Optional.empty();
        }
        seenSidecars.add(key(c));
        try {
            return Optional.ofNullable(evaluate(c, scanRules, scanTime));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not take job '{}' yet: {}", c.name(), e.toString());
            return Optional.empty();
        }
    }

    /** A job found ready to claim. Its size is measured only when asked: for a folder job that is a walk of its files. */
    public interface Ready {
        long bytes() throws IOException;
    }

    /**
     * Claims the job that {@link #ready} found ready in this scan, by moving its files into {@code .processing/}. It
     * is decided again against the inbox as it is now: a job claimed just before may have taken a file this one names.
     */
    public ClaimedJob claim(Path sidecar) throws IOException {
        Candidate c = candidateFor(sidecar.toAbsolutePath().normalize());
        Decision d = c == null || scanRules == null ? null : evaluate(c, scanRules, scanTime);
        if (d == null) {
            throw new IllegalStateException(sidecar.getFileName() + " is no longer ready; the next scan looks at it again");
        }
        ClaimedJob job = claim(d.candidate(), d.media(), d.spec(), d.problem());
        firstSeen.remove(key(d.candidate()));
        return job;
    }

    /** Ends a scan: forgets the timers of files and jobs that are gone. */
    public void endScan() {
        firstSeen.keySet().retainAll(seenSidecars);
        stability.endScan();
    }

    /** One whole scan: claims up to {@code slots} ready jobs, oldest name first (the intake route does the same). */
    public List<ClaimedJob> claimReady(int slots, Rules rules) throws IOException {
        beginScan(rules);
        List<ClaimedJob> claimed = new ArrayList<>();
        for (Candidate c : candidates()) {
            Path trigger = c.sidecar() != null ? c.sidecar() : firstSidecar(c.base());
            if (ready(trigger).isPresent() && claimed.size() < slots) {
                try {
                    claimed.add(claim(trigger));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Could not take job '{}' yet: {}", c.name(), e.toString());
                }
            }
        }
        endScan();
        return claimed;
    }

    /** The job {@code sidecar} starts, or null when it starts none. */
    private Candidate candidateFor(Path sidecar) {
        Path parent = sidecar.getParent();
        String name = sidecar.getFileName().toString();
        if (parent == null || ignored(name) || !SidecarParser.isSidecarName(name)
                || !Files.isRegularFile(sidecar, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (parent.equals(layout.inbox())) {
            return new Candidate(baseName(name), false, layout.inbox(), sidecar, null);
        }
        if (!layout.inbox().equals(parent.getParent()) || ignored(parent.getFileName().toString())) {
            return null;
        }
        try {
            Candidate c = folderCandidate(parent);
            // A folder job starts from its sidecar; a folder with several and none named job.* from the first of them.
            Path trigger = c == null ? null : c.sidecar() != null ? c.sidecar() : firstSidecar(parent);
            return sidecar.equals(trigger) ? c : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path key(Candidate c) {
        return c.sidecar() != null ? c.sidecar() : c.base();
    }

    /**
     * Times every file in the inbox from its first sighting, so media are already known to be stable when the
     * sidecar that names them becomes readable.
     */
    private void observeAll(Duration stableFor, Instant now) throws IOException {
        Files.walkFileTree(layout.inbox(), java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 4,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                        if (dir.equals(layout.inbox())) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                        // .processing, .done and .failed are Reelbox's own: never rescanned.
                        if (ignored(dir.getFileName().toString())) {
                            return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                        }
                        stability.isStable(dir, now, stableFor);
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                        if (!ignored(file.getFileName().toString())) {
                            stability.isStable(file, now, stableFor);
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                        // A file vanished mid-walk (a user moving things): the next scan sees the new picture.
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
    }

    private List<Candidate> candidates() throws IOException {
        List<Candidate> out = new ArrayList<>();
        for (Path entry : sorted(layout.inbox())) {
            String name = entry.getFileName().toString();
            if (ignored(name)) {
                continue;
            }
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                Candidate c = folderCandidate(entry);
                if (c != null) {
                    out.add(c);
                }
            } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && SidecarParser.isSidecarName(name)) {
                out.add(new Candidate(baseName(name), false, layout.inbox(), entry, null));
            }
        }
        return out;
    }

    private static List<Path> folderSidecars(Path folder) throws IOException {
        return sorted(folder).stream()
                .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .filter(p -> !ignored(p.getFileName().toString()) && SidecarParser.isSidecarName(p.getFileName().toString()))
                .toList();
    }

    private static Path firstSidecar(Path folder) throws IOException {
        List<Path> sidecars = folderSidecars(folder);
        return sidecars.isEmpty() ? null : sidecars.get(0);
    }

    /** A folder job: its job.* sidecar, or its only sidecar; a folder with several and none named job.* is refused. */
    private static Candidate folderCandidate(Path folder) throws IOException {
        String name = folder.getFileName().toString();
        List<Path> sidecars = folderSidecars(folder);
        Optional<Path> named = sidecars.stream()
                .filter(p -> FOLDER_SIDECARS.contains(p.getFileName().toString().toLowerCase(Locale.ROOT))).findFirst();
        if (named.isPresent() || sidecars.size() == 1) {
            return new Candidate(name, true, folder, named.orElse(sidecars.get(0)), null);
        }
        if (sidecars.size() > 1) {
            return new Candidate(name, true, folder, null, new JobFailure(Failure.BAD_SIDECAR, "bad-sidecar",
                    "folder '" + name + "' holds several sidecars " + sidecars.stream().map(p -> p.getFileName().toString()).toList()
                            + "; name the one to use job.yaml"));
        }
        return null;
    }

    /** What to claim for {@code c}, or null while it is not ready. */
    private Decision evaluate(Candidate c, Rules rules, Instant now) throws IOException {
        Path key = key(c);
        firstSeen.putIfAbsent(key, now);
        if (!stability.isStable(key, now, rules.stableFor()) || c.folder() && !stability.isStable(c.base(), now, rules.stableFor())) {
            return null;
        }
        if (c.problem() != null) {
            return new Decision(c, List.of(), null, c.problem());
        }
        JobSpec spec;
        try {
            spec = new SidecarParser(rules.maxPromptLength()).parse(c.sidecar(), c.name());
        } catch (JobFailure bad) {
            return new Decision(c, List.of(), null, bad);
        }
        List<Path> local = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (spec.mediaListed()) {
            for (String entry : spec.media()) {
                if (JobSpec.isUrl(entry)) {
                    continue;
                }
                Path p = safeResolve(c.base(), entry);
                if (p == null) {
                    List<Path> present = new ArrayList<>();
                    return new Decision(c, present, null, new JobFailure(Failure.BAD_SIDECAR, "unsafe-path", "media entry '" + entry
                            + "' points outside the job's folder; use names relative to " + (c.folder() ? "the job folder" : "the inbox")));
                }
                if (Files.isRegularFile(p)) {
                    local.add(p);
                } else {
                    missing.add(entry);
                }
            }
            for (String entry : spec.media()) {
                if (entry.startsWith("file:") || entry.startsWith("ftp:")) {
                    return new Decision(c, local, null, new JobFailure(Failure.BAD_SIDECAR, "bad-media-entry",
                            "media entry '" + entry + "' is neither a file name nor an https:// URL"));
                }
            }
        } else {
            local.addAll(defaultMedia(c));
            // A refine brings media only to add them: the earlier video's are in .done/.
            if (local.isEmpty() && spec.refine() == null) {
                missing.add(c.folder() ? "any media file in " + c.name() + "/" : c.name() + ".<mp4|mov|jpg|png|mp3|…>");
            }
        }
        if (!missing.isEmpty() && spec.mediaListed()) {
            for (String entry : missing) {
                String owner = claimedBy.get(safeResolve(c.base(), entry));
                if (owner != null && !Files.exists(c.base().resolve(entry))) {
                    return new Decision(c, local, null, new JobFailure(Failure.BAD_SIDECAR, "media-claimed", "'" + entry
                            + "' was already taken by job " + owner + "; two sidecars cannot share one file — copy it, or "
                            + "put both renders in one sidecar with 'renders:'"));
                }
            }
        }
        if (!missing.isEmpty()) {
            if (Duration.between(firstSeen.get(c.sidecar()), now).compareTo(rules.mediaTimeout()) >= 0) {
                return new Decision(c, local, null, new JobFailure(Failure.MEDIA_MISSING, "media-missing",
                        "these media did not arrive within " + rules.mediaTimeout().toSeconds() + " s: " + missing));
            }
            return null;
        }
        for (Path p : local) {
            if (!stability.isStable(p, now, rules.stableFor())) {
                return null;
            }
        }
        return new Decision(c, local, spec, null);
    }

    /** Media a sidecar gets when it names none: a folder's supported files, or the flat files sharing its name. */
    private List<Path> defaultMedia(Candidate c) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : sorted(c.base())) {
            String n = p.getFileName().toString();
            if (ignored(n) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || MediaKind.byName(n).isEmpty()) {
                continue;
            }
            if (c.folder() || baseName(n).equals(c.name())) {
                out.add(p);
            }
        }
        return out;
    }

    /** The file an entry names, or null when it would leave {@code base} (by {@code ..}, an absolute path or a link). */
    Path safeResolve(Path base, String entry) throws IOException {
        if (entry.isBlank() || entry.contains("\0") || entry.startsWith("/") || entry.startsWith("\\") || entry.matches("^[A-Za-z]:.*")) {
            return null;
        }
        Path p = base.resolve(entry).normalize();
        if (!p.startsWith(base)) {
            return null;
        }
        for (String part : base.relativize(p).toString().split("/")) {
            if (part.equals("..") || ignored(part) && part.startsWith(".")) {
                return null;
            }
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Path real = p.toRealPath();
            if (!real.startsWith(layout.inbox().toRealPath()) || real.startsWith(layout.processing().toAbsolutePath())) {
                return null;
            }
            if (Files.isSymbolicLink(p)) {
                // A link inside the inbox to a file inside the inbox would move only the link; refuse it plainly.
                return null;
            }
        }
        return p;
    }

    private ClaimedJob claim(Candidate c, List<Path> media, JobSpec spec, JobFailure problem) throws IOException {
        String id = c.name().replaceAll("[^\\p{L}\\p{N}._-]+", "_") + "-" + ID_TIME.format(clock.instant())
                + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)) + "@" + owner;
        Files.createDirectories(layout.processing());
        Path work = layout.processing().resolve(id);
        List<Path> files = new ArrayList<>();
        Path sidecar = null;
        if (c.folder()) {
            Files.move(c.base(), work);
            try (Stream<Path> walk = Files.walk(work)) {
                walk.filter(Files::isRegularFile).map(work::relativize).sorted().forEach(files::add);
            }
            sidecar = c.sidecar() == null ? null : work.resolve(c.base().relativize(c.sidecar()));
        } else {
            Files.createDirectories(work);
            // The sidecar goes first: once it has left the inbox the job cannot be claimed twice.
            try {
                sidecar = moveInto(c.base(), c.sidecar(), work);
            } catch (java.nio.file.NoSuchFileException lost) {
                // Another daemon on the same inbox took it first: leave no empty folder behind.
                Files.deleteIfExists(work);
                throw lost;
            }
            files.add(work.relativize(sidecar));
            for (Path m : media) {
                if (!Files.exists(m)) {
                    problem = problem != null ? problem : new JobFailure(Failure.MEDIA_MISSING, "media-missing",
                            c.base().relativize(m) + " disappeared while the job was being taken");
                    continue;
                }
                files.add(work.relativize(moveInto(c.base(), m, work)));
                claimedBy.put(m, id);
            }
        }
        List<Path> mediaRel = media.stream().map(m -> c.base().relativize(m)).toList();
        LOG.info("Job {}: taken from the inbox ({} file(s)){}", id, files.size(), problem == null ? "" : " — refused: " + problem.getMessage());
        return new ClaimedJob(id, c.name(), c.folder(), work, sidecar, List.copyOf(files), mediaRel, problem == null ? spec : null, problem);
    }

    private static Path moveInto(Path base, Path file, Path work) throws IOException {
        Path target = work.resolve(base.relativize(file));
        Files.createDirectories(target.getParent());
        return Files.move(file, target);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
