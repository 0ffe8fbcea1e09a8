package io.reelbox.local.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.reelbox.local.analysis.ClipProfile;

/**
 * The search behind {@link MomentPicker}: which runs of units to keep, exactly, by dynamic programming over (unit,
 * runs so far, units used, inside a run). A state's worth is the best sum of kept units' worth reaching it; a run is
 * entered a whole minimum length at once, so no run is ever shorter.
 */
final class BestRuns {

    /** What a jump cut costs, in worth: a second of the liveliest picture. */
    static final double JUMP = ClipProfile.RATE;
    /** The search's table stays under about 30 MB; past it (a long clip and a long share of it) one stretch is kept. */
    private static final long MAX_TABLE = 3_000_000;

    private BestRuns() {
    }

    /**
     * The runs [first unit, length] of exactly {@code total} units, each at least {@code minRun} long, at most
     * {@code maxRuns}, in order and apart, with the greatest worth less {@link #JUMP} for each run after the first.
     */
    static int[][] of(double[] value, int total, int minRun, int maxRuns) {
        int n = value.length;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + value[i];
        }
        while (maxRuns > 1 && (long) (n + 1) * (maxRuns + 1) * (total + 1) * 2 > MAX_TABLE) {
            maxRuns--;
        }
        if (maxRuns == 1) {
            return new int[][] {bestWindow(prefix, Math.min(total, n))};
        }
        int states = (maxRuns + 1) * (total + 1) * 2;
        double[][] best = new double[n + 1][states];
        byte[][] from = new byte[n + 1][states];
        for (double[] row : best) {
            Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        best[0][index(0, 0, 0, total)] = 0;
        for (int t = 0; t < n; t++) {
            for (int k = 0; k <= maxRuns; k++) {
                for (int u = 0; u <= total; u++) {
                    for (int open = 0; open < 2; open++) {
                        double v = best[t][index(k, u, open, total)];
                        if (v == Double.NEGATIVE_INFINITY) {
                            continue;
                        }
                        relax(best, from, t + 1, index(k, u, 0, total), v, (byte) open);
                        if (open == 1 && u < total) {
                            relax(best, from, t + 1, index(k, u + 1, 1, total), v + value[t], (byte) 2);
                        }
                        if (open == 0 && k < maxRuns && u + minRun <= total && t + minRun <= n) {
                            double gain = prefix[t + minRun] - prefix[t] - (k > 0 ? JUMP : 0);
                            relax(best, from, t + minRun, index(k + 1, u + minRun, 1, total), v + gain, (byte) 3);
                        }
                    }
                }
            }
        }
        int bestState = -1;
        for (int k = 1; k <= maxRuns; k++) {
            for (int open = 0; open < 2; open++) {
                int s = index(k, total, open, total);
                if (best[n][s] > Double.NEGATIVE_INFINITY && (bestState < 0 || best[n][s] > best[n][bestState])) {
                    bestState = s;
                }
            }
        }
        if (bestState < 0) {
            return new int[][] {{0, Math.min(total, n)}};
        }
        return backtrack(from, n, bestState, total, minRun);
    }

    /** The single window of {@code length} units with the greatest worth, the earliest of equals. */
    private static int[] bestWindow(double[] prefix, int length) {
        int best = 0;
        for (int t = 1; t + length < prefix.length; t++) {
            if (prefix[t + length] - prefix[t] > prefix[best + length] - prefix[best] + 1e-9) {
                best = t;
            }
        }
        return new int[] {best, length};
    }

    private static int index(int k, int u, int open, int total) {
        return (k * (total + 1) + u) * 2 + open;
    }

    private static void relax(double[][] best, byte[][] from, int t, int state, double v, byte how) {
        if (v > best[t][state]) {
            best[t][state] = v;
            from[t][state] = how;
        }
    }

    private static int[][] backtrack(byte[][] from, int n, int state, int total, int minRun) {
        List<int[]> runs = new ArrayList<>();
        int t = n;
        int k = state / 2 / (total + 1);
        int u = state / 2 % (total + 1);
        int open = state % 2;
        int runEnd = -1;
        while (t > 0) {
            byte how = from[t][index(k, u, open, total)];
            switch (how) {
                case 0, 1 -> {
                    t--;
                    open = how;
                    runEnd = open == 1 ? t : -1;
                }
                case 2 -> {
                    if (runEnd < 0) {
                        runEnd = t;
                    }
                    t--;
                    u--;
                }
                default -> {
                    if (runEnd < 0) {
                        runEnd = t;
                    }
                    t -= minRun;
                    u -= minRun;
                    k--;
                    open = 0;
                    runs.add(0, new int[] {t, runEnd - t});
                    runEnd = -1;
                }
            }
        }
        return runs.toArray(int[][]::new);
    }
}
