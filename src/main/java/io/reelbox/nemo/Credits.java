package io.reelbox.nemo;

/** {@code GET /api/credits/balance/simple}. */
public record Credits(double available, double frozen, double total) {
}
