package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import io.hookline.verify.provider.Providers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VerifiersTest {
  static VerifierSpec spec(String provider, List<String> secrets, Map<String, Object> options) {
    return new VerifierSpec("s", provider, secrets.stream().map(Secret::of).toList(), null, options, "sources[2]");
  }

  static void assertConfigError(VerifierSpec spec, String field) {
    assertThatThrownBy(() -> Verifiers.create(spec))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(field + ": ");
  }

  @Test
  void buildsTheRightClassForEveryProvider() {
    Map<String, Class<?>> expected = Map.of(
        "stripe", TimestampedScheme.class, "github", GitHubSignatureVerifier.class,
        "standard", StandardWebhooksSignatureVerifier.class, "shopify", ShopifySignatureVerifier.class,
        "slack", SlackSignatureVerifier.class, "twilio", TwilioSignatureVerifier.class,
        "paddle", TimestampedScheme.class, "hmac", HmacSignatureVerifier.class,
        "basic", BasicAuthVerifier.class, "apikey", ApiKeyVerifier.class);
    assertThat(Providers.names()).containsAll(expected.keySet());
    Map<String, Map<String, Object>> options = Map.of("hmac", Map.of("header", "X-Sig"), "apikey", Map.of("header", "X-Key"));
    Map<String, String> secrets = Map.of("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "basic", "u:p");
    expected.forEach((provider, type) -> assertThat(Verifiers.create(
        spec(provider, List.of(secrets.getOrDefault(provider, "s3cret")), options.getOrDefault(provider, Map.of()))))
        .as(provider).isInstanceOf(type));
  }

  @Test
  void providerNamesAreCaseInsensitive() {
    assertThat(Verifiers.create(spec("GitHub", List.of("x"), Map.of()))).isInstanceOf(GitHubSignatureVerifier.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "unknown", "svix-ish", "hmac256"})
  void refusesUnknownProviders(String provider) {
    assertConfigError(spec(provider, List.of("x"), Map.of()), "sources[2].provider");
  }

  @Test
  void refusesANullProvider() {
    assertConfigError(new VerifierSpec("s", null, List.of(Secret.of("x")), null, Map.of(), "sources[2]"), "sources[2].provider");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stripe", "github", "standard", "shopify", "slack", "twilio", "paddle", "hmac", "basic", "apikey"})
  void everyProviderNeedsASecret(String provider) {
    assertConfigError(spec(provider, List.of(), Map.of()), "sources[2].secrets");
    assertConfigError(new VerifierSpec("s", provider, null, null, Map.of(), "sources[2]"), "sources[2].secrets");
    assertConfigError(spec(provider, List.of("ok", ""), Map.of()), "sources[2].secrets[1]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stripe", "github", "standard", "shopify", "slack", "twilio", "paddle"})
  void fixedSchemesTakeNoOptions(String provider) {
    String secret = provider.equals("standard") ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "x";
    assertConfigError(spec(provider, List.of(secret), Map.of("header", "X-Other")), "sources[2]." + provider + ".header");
  }

  @Test
  void refusesStandardSecretsTheSchemeCannotUse() {
    assertConfigError(spec("standard", List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!"), Map.of()),
        "sources[2].secrets[1]");
    assertConfigError(spec("standard", List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Map.of()), "sources[2].secrets[0]");
    assertConfigError(spec("standard", List.of("whsec_"), Map.of()), "sources[2].secrets[0]");
    assertConfigError(spec("standard", List.of("whpk_AAAA"), Map.of()), "sources[2].secrets[0]");
    assertConfigError(spec("standard", List.of("whpk_%%%"), Map.of()), "sources[2].secrets[0]");
  }

  @Test
  void refusesANonPositiveTolerance() {
    VerifierSpec zero = new VerifierSpec("s", "stripe", List.of(Secret.of("x")), Duration.ZERO, Map.of(), "sources[2]");
    assertConfigError(zero, "sources[2].toleranceSeconds");
  }

  @Test
  void basicSecretsMustBeUserColonPassword() {
    assertConfigError(spec("basic", List.of("user:pw", "nocolon"), Map.of()), "sources[2].secrets[1]");
  }

  static List<Arguments> badHmacOptions() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of(Map.of(), "sources[2].hmac.header"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "algorithm", "md5"), "sources[2].hmac.algorithm"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "algorithm", 256), "sources[2].hmac.algorithm"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "encoding", "base32"), "sources[2].hmac.encoding"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "secretEncoding", "utf16"), "sources[2].hmac.secretEncoding"));
    cases.add(Arguments.of(Map.of("header", "X-Sig:"), "sources[2].hmac.header"));
    cases.add(Arguments.of(Map.of("header", ""), "sources[2].hmac.header"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "headr", "X"), "sources[2].hmac.headr"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{timestamp}"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{body}{body}"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{tiemstamp}.{body}"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{body"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "}{body}"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{timestamp}.{body}"), "sources[2].hmac.timestampHeader"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "timestampHeader", "X-Ts"), "sources[2].hmac.signedContent"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "signedContent", "{id}.{body}"), "sources[2].hmac.idHeader"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "idHeader", "X-A", "eventIdHeader", "X-B"), "sources[2].hmac.eventIdHeader"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "idHeader", "X-A", "eventIdPointer", "/id"), "sources[2].hmac.eventIdPointer"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "eventIdPointer", "id"), "sources[2].hmac.eventIdPointer"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "eventIdPointer", "/a~2b"), "sources[2].hmac.eventIdPointer"));
    cases.add(Arguments.of(Map.of("header", "X-Sig", "eventTypeHeader", "X-T", "eventTypePointer", "/t"),
        "sources[2].hmac.eventTypePointer"));
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("header", null);
    cases.add(Arguments.of(nullValue, "sources[2].hmac.header"));
    return cases;
  }

  @ParameterizedTest
  @MethodSource("badHmacOptions")
  void refusesBadHmacOptionsNamingTheField(Map<String, Object> options, String field) {
    assertConfigError(spec("hmac", List.of("secret"), options), field);
  }

  @Test
  void refusesHmacSecretsThatDoNotDecode() {
    assertConfigError(spec("hmac", List.of("c2VjcmV0", "not base64"), Map.of("header", "X", "secretEncoding", "base64")),
        "sources[2].secrets[1]");
    assertConfigError(spec("hmac", List.of("abc"), Map.of("header", "X", "secretEncoding", "hex")), "sources[2].secrets[0]");
  }

  @Test
  void apiKeyNeedsExactlyOneLocation() {
    assertConfigError(spec("apikey", List.of("k"), Map.of()), "sources[2].apikey.header");
    assertConfigError(spec("apikey", List.of("k"), Map.of("header", "X-Key", "query", "key")), "sources[2].apikey.query");
    assertConfigError(spec("apikey", List.of("k"), Map.of("header", "X-Key", "algorithm", "sha256")), "sources[2].apikey.algorithm");
  }

  @Test
  void messagesNeverContainTheSecret() {
    String secret = "whsec_topsecret!!";
    assertThatThrownBy(() -> Verifiers.create(spec("standard", List.of(secret), Map.of())))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
  }
}
