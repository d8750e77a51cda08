package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  private static SecretScrubber scrubber(String credentialsJson) {
    ObjectNode meta = (ObjectNode) RunFrames.lenient("{plan: {workflow: {steps: []}}}");
    meta.set("credentials", RunFrames.lenient(credentialsJson));
    return SecretScrubber.of(meta);
  }

  @Test
  void everyStringValueOfTheCredentialsIsMasked() {
    SecretScrubber s = scrubber("{c1: {username: 'admin-user', password: 's3cr3t-pw', nested: {token: 'tok-123456'}, port: 8080}}");
    assertThat(s.scrub("user admin-user logged in with s3cr3t-pw and tok-123456 on 8080"))
        .isEqualTo("user **** logged in with **** and **** on 8080");
    assertThat(s.scrub(null)).isNull();
  }

  @Test
  void valuesShorterThanFourCharactersAreLeftAlone() {
    SecretScrubber s = scrubber("{c1: {region: 'eu', flag: 'yes', pin: 'abcd'}}");
    assertThat(s.scrub("eu yes abcd")).isEqualTo("eu yes ****");
  }

  @Test
  void base64OfUserPasswordPairsAndOfEachValueIsMasked() {
    SecretScrubber s = scrubber("{c1: {username: 'admin-user', password: 's3cr3t-pw'}}");
    String basic = Base64.getEncoder().encodeToString("admin-user:s3cr3t-pw".getBytes(StandardCharsets.UTF_8));
    String alone = Base64.getEncoder().encodeToString("s3cr3t-pw".getBytes(StandardCharsets.UTF_8));
    assertThat(s.scrub("Authorization: Basic " + basic)).isEqualTo("Authorization: Basic ****=");
    assertThat(s.scrub("x " + alone)).doesNotContain(alone.replace("=", ""));
  }

  @Test
  void secretsWithQuotesAreFoundInJsonAndInJsonInsideJson() {
    SecretScrubber s = SecretScrubber.of(Set.of("pa\"ss\\word"));
    String once = JsonNodeFactory.instance.arrayNode().add("x pa\"ss\\word y").toString();
    String twice = JsonNodeFactory.instance.objectNode().put("message", once).toString();
    assertThat(s.scrub(once)).isEqualTo("[\"x **** y\"]");
    assertThat(s.scrub(twice)).doesNotContain("ss\\").contains("****");
  }

  @Test
  void theLongestSecretIsReplacedFirst() {
    SecretScrubber s = SecretScrubber.of(Set.of("abcd", "abcdefgh"));
    assertThat(s.scrub("abcdefgh")).isEqualTo("****");
  }

  @Test
  void inlineStepConfigurationsAndWorkflowCredentialsCount() {
    SecretScrubber s = SecretScrubber.of(RunFrames.lenient(
        "{plan: {workflow: {credentials: {collection_token: 'j.w.t.token'}, steps: [{configuration: {apiKey: 'key-inline-1'}}]}}}"));
    assertThat(s.scrub("j.w.t.token key-inline-1")).isEqualTo("**** ****");
  }
}
