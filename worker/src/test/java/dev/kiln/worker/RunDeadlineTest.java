package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RunDeadlineTest {
  private static final Instant CLAIM = Instant.parse("2026-01-01T00:00:00Z");

  private static String token(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  @Test
  void theDeadlineIsTheRunTokensExpiry() {
    String token = token("{\"id\":\"r\",\"exp\":" + CLAIM.plusSeconds(70).getEpochSecond() + "}");
    assertThat(RunDeadline.of(token, CLAIM, 60_000).at()).isEqualTo(CLAIM.plusSeconds(70));
  }

  @Test
  void withoutAnExpiryItIsClaimPlusTimeoutPlusLightningsDefaultGrace() {
    assertThat(RunDeadline.of("not-a-jwt", CLAIM, 60_000).at()).isEqualTo(CLAIM.plusSeconds(70));
  }

  @Test
  void theEngineGetsTheRunTimeoutWhileThereIsTimeToReport() {
    RunDeadline deadline = new RunDeadline(CLAIM.plusSeconds(70));
    assertThat(deadline.engineTimeoutMs(60_000, CLAIM.plusSeconds(2))).isEqualTo(60_000);
  }

  @Test
  void timeSpentBeforeTheRunStartsIsTakenFromItsTimeout() {
    RunDeadline deadline = new RunDeadline(CLAIM.plusSeconds(70));
    // 30 s installing adaptors: 70 - 30 - 3 (delivery margin) = 37 s left
    assertThat(deadline.engineTimeoutMs(60_000, CLAIM.plusSeconds(30))).isEqualTo(37_000);
    assertThat(deadline.engineTimeoutMs(60_000, CLAIM.plusSeconds(90))).isEqualTo(1);
  }

}
