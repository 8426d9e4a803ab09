package io.hookline.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.requests.CredentialFingerprints.Candidate;
import io.hookline.requests.CredentialFingerprints.Masked;
import io.hookline.requests.CredentialFingerprints.Match;
import io.hookline.store.RequestLogStore.Fingerprints;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialFingerprintsTest {
  private static final String KEY = "the-api-key-0042";

  @Test
  void aCurrentValueMatchesItsFingerprintAtItsPositionAndNothingElseDoes() {
    Fingerprints f = CredentialFingerprints.of(List.of(new Masked(3, "X-Api-Key", KEY)));
    List<Match> matches = CredentialFingerprints.match(f.json(), List.of(new Candidate("x-api-key", "another-key"),
        new Candidate("X-Api-Key", KEY)));
    assertThat(matches).hasSize(1);
    assertThat(matches.get(0).index()).isEqualTo(3);
    assertThat(matches.get(0).value()).isEqualTo(KEY);
    // The same value under another header name, a near miss, and unreadable fingerprints match nothing.
    assertThat(CredentialFingerprints.match(f.json(), List.of(new Candidate("Authorization", KEY)))).isEmpty();
    assertThat(CredentialFingerprints.match(f.json(), List.of(new Candidate("X-Api-Key", KEY + " ")))).isEmpty();
    assertThat(CredentialFingerprints.match("{\"algorithm\":\"md5\"}", List.of(new Candidate("X-Api-Key", KEY)))).isEmpty();
    assertThat(CredentialFingerprints.match("not json", List.of(new Candidate("X-Api-Key", KEY)))).isEmpty();
  }

  @Test
  void storesASaltedSlowHashNeverTheValueAndPrintsNeither() {
    Fingerprints a = CredentialFingerprints.of(List.of(new Masked(0, "X-Api-Key", KEY)));
    Fingerprints b = CredentialFingerprints.of(List.of(new Masked(0, "X-Api-Key", KEY)));
    JsonObject ja = new JsonObject(a.json());
    assertThat(ja.getString("algorithm")).isEqualTo("PBKDF2WithHmacSHA256");
    assertThat(ja.getInteger("iterations")).isEqualTo(CredentialFingerprints.ITERATIONS);
    assertThat(ja.getString("salt")).isNotEqualTo(new JsonObject(b.json()).getString("salt"));
    assertThat(a.json()).doesNotContain(KEY).isNotEqualTo(b.json());
    assertThat(a.toString()).doesNotContain(ja.getString("salt"), ja.getJsonArray("headers").getJsonObject(0).getString("hash"));
    assertThat(new Masked(0, "X-Api-Key", KEY).toString()).doesNotContain(KEY);
    assertThat(new Candidate("X-Api-Key", KEY).toString()).doesNotContain(KEY);
    assertThat(new Match(0, KEY).toString()).doesNotContain(KEY);
    assertThat(CredentialFingerprints.of(List.of())).isNull();
    // An empty value (an empty header) is fingerprinted and matched too.
    Fingerprints empty = CredentialFingerprints.of(List.of(new Masked(1, "X-Api-Key", "")));
    assertThat(CredentialFingerprints.match(empty.json(), List.of(new Candidate("X-Api-Key", "")))).hasSize(1);
  }

  @Test
  void theBufferHoldsTheValuesOnlyUntilTheWriterTakesThem() {
    RequestLog log = new RequestLog(10, "n");
    log.add(RequestLogTest.request(1), List.of(new Masked(0, "A", "1"), new Masked(1, "A", "2"), new Masked(2, "A", "3")));
    List<RequestLog.Pending> drained = log.drain(10);
    assertThat(drained).hasSize(1);
    assertThat(drained.get(0).masked()).hasSize(CredentialFingerprints.MAX_VALUES);
    assertThat(drained.get(0).toString()).doesNotContain("\"1\"", ": 1)");
  }
}
