package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;

import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioSignatureVerifierTest {
  static final String TOKEN = "12345";
  static final String OLD_TOKEN = "67890";
  static final long NOW = 1_700_000_000_000L;
  static final String DOCS_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  static final Map<String, String> DOCS_PARAMS = new TreeMap<>(Map.of("CallSid", "CA1234567890ABCDE",
      "Caller", "+12349013030", "Digits", "1234", "From", "+12349013030", "To", "+18005551212"));
  static final String FORM = "application/x-www-form-urlencoded";

  static String form(Map<String, String> params) {
    StringBuilder body = new StringBuilder();
    params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
        .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return body.toString();
  }

  static String sign(String token, String url, Map<String, String> sortedParams) {
    StringBuilder data = new StringBuilder(url);
    sortedParams.forEach((k, v) -> data.append(k).append(v));
    return base64(hmac("HmacSHA1", utf8(token), utf8(data.toString())));
  }

  static TestRequest formRequest(String token, String url, Map<String, String> params) {
    return TestRequest.at(NOW).url(url).body(form(params))
        .header("Content-Type", FORM)
        .header("X-Twilio-Signature", sign(token, url, new TreeMap<>(params)));
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("twilio", List.of(TOKEN, OLD_TOKEN)));

  @Test
  void acceptsTwiliosDocsExample() {
    TestRequest request = TestRequest.at(NOW).url(DOCS_URL).body(form(DOCS_PARAMS))
        .header("Content-Type", FORM + "; charset=utf-8")
        .header("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assertAccepted(verifier.verify(request), "CA1234567890ABCDE", null);
  }

  @Test
  void prefersTheIdempotencyTokenAndFallsBackToMessageSid() {
    Map<String, String> sms = Map.of("MessageSid", "SM1", "Body", "hello", "From", "+1");
    assertAccepted(verifier.verify(formRequest(TOKEN, DOCS_URL, sms)), "SM1", null);
    assertAccepted(verifier.verify(formRequest(TOKEN, DOCS_URL, sms).header("I-Twilio-Idempotency-Token", "idem-1")),
        "idem-1", null);
  }

  @Test
  void acceptsEveryTokenOfARotationButNotAnExpiredOne() {
    assertAccepted(verifier.verify(formRequest(OLD_TOKEN, DOCS_URL, DOCS_PARAMS)));
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("twilio",
        List.of(Secret.of(TOKEN), Signing.expiring(OLD_TOKEN, NOW - 1))));
    assertRejected(rotating.verify(formRequest(OLD_TOKEN, DOCS_URL, DOCS_PARAMS)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void triesTheUrlWithAndWithoutItsDefaultPort() {
    TestRequest signedWithPort = formRequest(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DOCS_PARAMS).url(DOCS_URL);
    assertAccepted(verifier.verify(signedWithPort));
    TestRequest receivedWithPort = formRequest(TOKEN, DOCS_URL, DOCS_PARAMS).url("https://mycompany.com:443/myapp.php?foo=1&bar=2");
    assertAccepted(verifier.verify(receivedWithPort));
    assertThat(TwilioSignatureVerifier.addPort("http://a.example/x")).isEqualTo("http://a.example:80/x");
    assertThat(TwilioSignatureVerifier.removePort("https://u@[::1]:8443/x?y=1")).isEqualTo("https://u@[::1]/x?y=1");
  }

  @Test
  void rejectsTamperedParamsUrlOrWrongToken() {
    Map<String, String> tampered = new TreeMap<>(DOCS_PARAMS);
    tampered.put("Digits", "9999");
    TestRequest request = formRequest(TOKEN, DOCS_URL, DOCS_PARAMS).body(form(tampered));
    assertRejected(verifier.verify(request), Reason.INVALID_SIGNATURE);
    assertRejected(verifier.verify(formRequest(TOKEN, DOCS_URL, DOCS_PARAMS).url("https://mycompany.com/other.php")),
        Reason.INVALID_SIGNATURE);
    Verification wrong = verifier.verify(formRequest("nope", DOCS_URL, DOCS_PARAMS));
    assertRejected(wrong, Reason.INVALID_SIGNATURE);
    assertMessageHides(wrong, TOKEN, OLD_TOKEN, sign(TOKEN, DOCS_URL, DOCS_PARAMS));
  }

  @Test
  void verifiesJsonBodiesThroughBodySha256() throws Exception {
    String body = "{\"MessageSid\":\"SM9\",\"type\":\"com.twilio.messaging.message.delivered\"}";
    String hash = hex(MessageDigest.getInstance("SHA-256").digest(utf8(body)));
    String url = "https://hooks.example.com/twilio?bodySHA256=" + hash;
    TestRequest request = TestRequest.at(NOW).url(url).body(body)
        .header("Content-Type", "application/json")
        .header("X-Twilio-Signature", sign(TOKEN, url, Map.of()));
    assertAccepted(verifier.verify(request), "SM9", "com.twilio.messaging.message.delivered");
    assertRejected(verifier.verify(request.copy().body(body.replace("SM9", "SM8"))), Reason.INVALID_SIGNATURE);

    String noHashUrl = "https://hooks.example.com/twilio";
    TestRequest unsigned = TestRequest.at(NOW).url(noHashUrl).body(body)
        .header("Content-Type", "application/json").header("X-Twilio-Signature", sign(TOKEN, noHashUrl, Map.of()));
    assertRejected(verifier.verify(unsigned), Reason.INVALID_SIGNATURE);

    String badHashUrl = "https://hooks.example.com/twilio?bodySHA256=zz";
    TestRequest badHash = TestRequest.at(NOW).url(badHashUrl).body(body)
        .header("Content-Type", "application/json").header("X-Twilio-Signature", sign(TOKEN, badHashUrl, Map.of()));
    assertRejected(verifier.verify(badHash), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void signsRepeatedParametersAsEachDistinctValueSorted() {
    String body = "Tag=b&MessageSid=SM2&Tag=a&Tag=b";
    String signature = base64(hmac("HmacSHA1", utf8(TOKEN), utf8(DOCS_URL + "MessageSidSM2TagaTagb")));
    TestRequest request = TestRequest.at(NOW).url(DOCS_URL).body(body)
        .header("Content-Type", FORM).header("X-Twilio-Signature", signature);
    assertAccepted(verifier.verify(request), "SM2", null);
  }

  @Test
  void rejectsAFormBodyThatIsNotValidEncoding() {
    TestRequest request = formRequest(TOKEN, DOCS_URL, DOCS_PARAMS).body("Digits=%G1&To=%");
    assertRejected(verifier.verify(request), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsMissingAndRepeatedHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).url(DOCS_URL).body(form(DOCS_PARAMS))), Reason.MISSING_SIGNATURE);
    TestRequest twice = formRequest(TOKEN, DOCS_URL, DOCS_PARAMS);
    twice.header("X-Twilio-Signature", twice.header("X-Twilio-Signature"));
    assertRejected(verifier.verify(twice), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "=", "0/KCTR6DLpKmkAf8muzZqo1nDg", "0/KCTR6DLpKmkAf8muzZqo1nDgQ", "0/KCTR6DLpKmkAf8muzZqo1nDgQ==", "0_KCTR6DLpKmkAf8muzZqo1nDgQ=",
      "0/KCTR6DLpKmkAf8muzZqo1nDgQ=0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "d3f3a2b1"})
  void rejectsMalformedSignatures(String header) {
    TestRequest request = TestRequest.at(NOW).url(DOCS_URL).body(form(DOCS_PARAMS))
        .header("Content-Type", FORM).header("X-Twilio-Signature", header);
    assertRejected(verifier.verify(request), Reason.MALFORMED_SIGNATURE);
  }

  static final String SHARED = "whsk_sharedkey_secret_for_tests";

  static TestRequest sharedKeyRequest(String key, String algorithm, String jca) {
    StringBuilder data = new StringBuilder(DOCS_URL);
    DOCS_PARAMS.forEach((k, v) -> data.append(k).append(v));
    return TestRequest.at(NOW).url(DOCS_URL).body(form(DOCS_PARAMS)).header("Content-Type", FORM)
        .header("X-Twilio-Webhooks-Signature-Settings", "key=webhooks_sharedkey_01,algorithm=" + algorithm)
        .header("X-Twilio-Signature", base64(hmac(jca, utf8(key), utf8(data.toString()))));
  }

  @Test
  void sharedKeySigningUsesTheSharedKeyAndTheAnnouncedAlgorithm() {
    SignatureVerifier both = Verifiers.create(Signing.spec("twilio", List.of("sharedkey:" + SHARED, TOKEN)));
    assertAccepted(both.verify(sharedKeyRequest(SHARED, "HMAC_SHA256", "HmacSHA256")), "CA1234567890ABCDE", null);
    assertAccepted(both.verify(sharedKeyRequest(SHARED, "hmac_sha1", "HmacSHA1")), "CA1234567890ABCDE", null);
    // The settings header sends the check to the SharedKey secrets only: the auth token is not tried.
    Verification token = both.verify(sharedKeyRequest(TOKEN, "HMAC_SHA1", "HmacSHA1"));
    assertRejected(token, Reason.INVALID_SIGNATURE);
    assertMessageHides(token, SHARED, TOKEN);
    // Without the header only auth tokens are tried (HMAC-SHA1), as twilio-node does.
    TestRequest unannounced = sharedKeyRequest(SHARED, "HMAC_SHA1", "HmacSHA1");
    unannounced.setHeader("X-Twilio-Webhooks-Signature-Settings", "");
    assertRejected(both.verify(unannounced), Reason.INVALID_SIGNATURE);
  }

  @Test
  void sharedKeySigningFailsClosed() {
    assertRejected(verifier.verify(sharedKeyRequest(TOKEN, "HMAC_SHA256", "HmacSHA256")), Reason.INVALID_SIGNATURE);
    SignatureVerifier onlyShared = Verifiers.create(Signing.spec("twilio", List.of("sharedkey:" + SHARED)));
    assertRejected(onlyShared.verify(formRequest(SHARED, DOCS_URL, DOCS_PARAMS)), Reason.INVALID_SIGNATURE);
    assertRejected(onlyShared.verify(sharedKeyRequest(SHARED, "HMAC_SHA512", "HmacSHA512")), Reason.MALFORMED_SIGNATURE);
    // A 20-byte signature where HMAC-SHA256 is announced is malformed, not merely wrong.
    TestRequest shortSig = sharedKeyRequest(SHARED, "HMAC_SHA256", "HmacSHA256");
    shortSig.setHeader("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assertRejected(onlyShared.verify(shortSig), Reason.MALFORMED_SIGNATURE);
    SignatureVerifier rotated = Verifiers.create(Signing.specWithSecrets("twilio",
        List.of(Signing.expiring("sharedkey:" + SHARED, NOW - 1), Secret.of("sharedkey:next"))));
    assertRejected(rotated.verify(sharedKeyRequest(SHARED, "HMAC_SHA256", "HmacSHA256")), Reason.INVALID_SIGNATURE);
    assertAccepted(rotated.verify(sharedKeyRequest("next", "HMAC_SHA256", "HmacSHA256")));
  }

  @Test
  void anEmptySharedKeyIsAStartUpErrorNamingTheSecret() {
    assertThatThrownBy(() -> Verifiers.create(Signing.spec("twilio", List.of(TOKEN, "sharedkey:"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets[1]");
  }
}
