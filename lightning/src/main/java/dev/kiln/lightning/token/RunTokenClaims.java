package dev.kiln.lightning.token;

import java.time.Instant;

/**
 * The claims of a verified run token.
 *
 * @param runId the {@code id} claim
 * @param subject {@code run:<id>} (null from older Lightning)
 * @param expiresAt {@code exp}, null if absent
 */
public record RunTokenClaims(String runId, String subject, Instant expiresAt) {}
