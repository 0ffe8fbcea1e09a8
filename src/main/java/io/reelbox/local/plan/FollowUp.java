package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.List;

import io.reelbox.inbox.MediaKind;
import io.reelbox.local.MediaInfo;
import io.reelbox.local.prompt.PromptReader;
import io.reelbox.local.prompt.Request;

/**
 * A prompt in a session that already has a draft: it edits that draft instead of planning anew. What the new prompt
 * says replaces what was asked before, concept by concept, and everything it does not mention stays (the length, the
 * music, the title…); it may also drop, swap or move media, or remove the title. Media uploaded since the last plan
 * join at the end. The reply says what changed from the previous version and what could not be done; a prompt that
 * changes nothing says so, and the draft stays as it was.
 */
public final class FollowUp {

    private final PromptReader reader = new PromptReader();
    private final Planner planner = new Planner();

    /**
     * Edits {@code previous} (the session's last plan, which has a draft) as {@code prompt} asks, with {@code media} as
     * the session holds them now.
     */
    public Planner.Plan apply(String prompt, String language, List<MediaInfo> media, Planner.Plan previous) {
        // A follow-up is short ("photos fixes"): read it in the language the first prompt was written in.
        String previousLanguage = io.reelbox.local.prompt.Lexicon.bundled().languages().entrySet().stream()
                .filter(e -> e.getValue().name().equals(previous.request().language())).map(java.util.Map.Entry::getKey)
                .findFirst().orElse(language);
        Request now = reader.read(prompt, previousLanguage);
        Request merged = merge(previous.request(), now, Reorder.NO_TITLE.matcher(prompt).find());
        List<String> notDone = new ArrayList<>();
        List<MediaInfo> visuals = new ArrayList<>(previous.media().stream().filter(m -> !isAudio(m)).toList());
        media.stream().filter(m -> !isAudio(m) && previous.media().stream().noneMatch(p -> p.id().equals(m.id()))).forEach(visuals::add);
        visuals = Reorder.apply(Reorder.read(prompt), visuals, notDone);
        List<MediaInfo> ordered = new ArrayList<>(visuals);
        media.stream().filter(FollowUp::isAudio).forEach(ordered::add);
        Planner.Plan plan = planner.plan(merged, ordered);
        if (plan.draft() == null) {
            return plan;
        }
        List<String> changes = DraftDiff.between(previous.draft(), plan.draft());
        StringBuilder reply = new StringBuilder();
        if (changes.isEmpty()) {
            reply.append("Nothing to change: the video already is what this asks for, so I kept the previous version. "
                    + "Say what to change, for example \"make it 10 seconds\", \"no music\", \"add the title 'Summer'\" or "
                    + "\"drop the second photo\".");
            notDone.forEach(n -> reply.append(" I could not do ").append(n).append('.'));
            return new Planner.Plan(previous.draft(), reply.toString(), previous.request(), previous.media());
        }
        reply.append("Changed from the previous version: ").append(String.join("; ", changes)).append(". ");
        if (!notDone.isEmpty()) {
            reply.append("I could not do ").append(String.join("; ", notDone)).append(". ");
        }
        reply.append("Everything else is as before. ").append(plan.reply());
        return new Planner.Plan(plan.draft(), reply.toString(), merged, ordered);
    }

    private static boolean isAudio(MediaInfo m) {
        return m.category() == MediaKind.Category.AUDIO;
    }

    /** {@code before} with every concept that {@code now} states replaced, switches turned the other way included. */
    static Request merge(Request before, Request now, boolean dropTitle) {
        boolean musicBack = now.musicVolume() != null;
        return new Request(or(now.seconds(), before.seconds()), or(now.shortSide(), before.shortSide()), or(now.aspect(), before.aspect()),
                or(now.transitions(), before.transitions()), or(now.transitionKind(), before.transitionKind()),
                or(now.transitionSeconds(), before.transitionSeconds()), or(now.musicVolume(), before.musicVolume()),
                now.noMusic() || (before.noMusic() && !musicBack), dropTitle ? null : or(now.title(), before.title()),
                dropTitle ? null : or(now.titleSeconds(), before.titleSeconds()), before.mute() || now.mute(),
                now.zoom() || (before.zoom() && !now.staticPhotos()), now.staticPhotos() || (before.staticPhotos() && !now.zoom()),
                before.evenTiming() || now.evenTiming(), before.noDucking() || now.noDucking(), or(now.platform(), before.platform()),
                or(now.fill(), before.fill()), or(now.stillSeconds(), before.stillSeconds()), now.titleWithoutText() && !dropTitle,
                now.unsupported(), now.adjustments(), now.language(), now.understood(), now.notUnderstood());
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
