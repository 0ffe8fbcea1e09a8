package io.reelbox.local.delivery;

import java.nio.ByteBuffer;

/**
 * The video track of a {@code moov} box: its H.264 profile and level, its time scale, and the sample times of its
 * keyframes, from {@code mdhd}, {@code avcC}, {@code stts} and {@code stss}.
 */
final class Video {

    int profile;
    int level;
    private long timescale = 1;
    private long duration;
    /** Each sample's start, in the track's time scale; null until stts is read. */
    private long[] starts;
    /** 1-based sample numbers of the keyframes; null when stss is absent (every sample is one). */
    private int[] sync;

    /** The first track whose handler is {@code vide}; an empty one when there is none. */
    static Video find(ByteBuffer moov) {
        for (ByteBuffer trak : Boxes.children(moov, "trak")) {
            ByteBuffer mdia = Boxes.child(trak, "mdia");
            ByteBuffer hdlr = mdia == null ? null : Boxes.child(mdia, "hdlr");
            if (hdlr != null && hdlr.limit() - hdlr.position() >= 12 && Mp4Layout.type(hdlr.getInt(hdlr.position() + 8)).equals("vide")) {
                Video v = new Video();
                v.read(mdia);
                return v;
            }
        }
        return new Video();
    }

    private void read(ByteBuffer mdia) {
        ByteBuffer mdhd = Boxes.child(mdia, "mdhd");
        if (mdhd != null) {
            int p = mdhd.position();
            boolean wide = mdhd.get(p) == 1;
            timescale = Math.max(1, mdhd.getInt(p + (wide ? 20 : 12)) & 0xffffffffL);
            duration = wide ? mdhd.getLong(p + 24) : mdhd.getInt(p + 16) & 0xffffffffL;
        }
        ByteBuffer stbl = Boxes.path(mdia, "minf", "stbl");
        if (stbl == null) {
            return;
        }
        ByteBuffer stsd = Boxes.child(stbl, "stsd");
        if (stsd != null) {
            // stsd: version/flags, count, then sample entries; avc1's own fields take 78 bytes before its boxes.
            ByteBuffer entry = stsd.duplicate().position(stsd.position() + 8);
            ByteBuffer avc1 = Boxes.child(entry, "avc1");
            ByteBuffer avcC = avc1 == null ? null : Boxes.child(avc1.duplicate().position(avc1.position() + 78), "avcC");
            if (avcC != null && avcC.remaining() >= 4) {
                profile = avcC.get(avcC.position() + 1) & 0xff;
                level = avcC.get(avcC.position() + 3) & 0xff;
            }
        }
        ByteBuffer stts = Boxes.child(stbl, "stts");
        if (stts != null) {
            int n = stts.getInt(stts.position() + 4);
            long samples = 0;
            for (int i = 0; i < n; i++) {
                samples += stts.getInt(stts.position() + 8 + i * 8) & 0xffffffffL;
            }
            starts = new long[(int) Math.min(samples, 50_000_000)];
            long t = 0;
            int k = 0;
            for (int i = 0; i < n; i++) {
                long count = stts.getInt(stts.position() + 8 + i * 8) & 0xffffffffL;
                long delta = stts.getInt(stts.position() + 12 + i * 8) & 0xffffffffL;
                for (long c = 0; c < count && k < starts.length; c++) {
                    starts[k++] = t;
                    t += delta;
                }
            }
        }
        ByteBuffer stss = Boxes.child(stbl, "stss");
        if (stss != null) {
            int n = stss.getInt(stss.position() + 4);
            sync = new int[n];
            for (int i = 0; i < n; i++) {
                sync[i] = stss.getInt(stss.position() + 8 + i * 4);
            }
        }
    }

    int keyframeCount() {
        return sync != null ? sync.length : starts == null ? 0 : starts.length;
    }

    /** The longest stretch without a keyframe, seconds, up to the track's end; 0 when the track has no samples. */
    double largestGap() {
        if (starts == null || starts.length == 0) {
            return 0;
        }
        if (sync == null) {
            return starts.length > 1 ? (double) (starts[1] - starts[0]) / timescale : (double) duration / timescale;
        }
        long gap = 0;
        long last = 0;
        for (int s : sync) {
            if (s >= 1 && s <= starts.length) {
                gap = Math.max(gap, starts[s - 1] - last);
                last = starts[s - 1];
            }
        }
        long end = Math.max(duration, starts[starts.length - 1]);
        return (double) Math.max(gap, end - last) / timescale;
    }
}
