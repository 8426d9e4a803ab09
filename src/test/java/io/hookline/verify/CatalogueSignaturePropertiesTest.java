package io.hookline.verify;

import static io.hookline.verify.SignaturePropertiesTest.NOW;
import static io.hookline.verify.SignaturePropertiesTest.T;
import static io.hookline.verify.SignaturePropertiesTest.assertNotAccepted;
import static io.hookline.verify.SignaturePropertiesTest.concat;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link SignaturePropertiesTest}'s properties (a right signature is always accepted; one changed
 * byte of the body or character of a signed header, garbage or a near miss in the signature header,
 * is never accepted) for the schemes of issue 18, plus: the same request checked with a secret that
 * differs in one bit is never accepted (or that key is refused at start-up).
 */
class CatalogueSignaturePropertiesTest {
  static final String TWITCH_TS = "2023-11-14T22:13:20Z";

  abstract static class CatalogueScheme extends SignaturePropertiesTest.Scheme {
    abstract String provider();

    abstract String secret();

    Map<String, Object> options() {
      return Map.of();
    }

    /** Whether {@code other} spells the same key (hex case; base64 spare bits): such a flip changes nothing. */
    boolean sameKey(String other) {
      return other.equals(secret());
    }

    private SignatureVerifier verifier;

    SignatureVerifier verifier() {
      if (verifier == null) {
        verifier = Catalogue.build(provider(), List.of(Secret.of(secret())), options());
      }
      return verifier;
    }

    @Property(tries = 200)
    void oneFlippedBitOfTheSecretIsRejected(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 0, max = 10_000) int position,
                                            @ForAll @IntRange(min = 0, max = 6) int bit) {
      char[] chars = secret().toCharArray();
      int at = position % chars.length;
      chars[at] = (char) (chars[at] ^ (1 << bit));
      if (sameKey(new String(chars))) {
        return;
      }
      SignatureVerifier other;
      try {
        other = Catalogue.build(provider(), List.of(Secret.of(new String(chars))), options());
      } catch (ConfigException e) {
        return; // refused at start-up: nothing could be accepted with it
      }
      assertNotAccepted(other.verify(signed(body)));
    }
  }

  @Group
  class Discord extends CatalogueScheme {
    final KeyPair keys = generate("Ed25519", null);

    String provider() {
      return "discord";
    }

    boolean sameKey(String other) {
      return other.equalsIgnoreCase(secret());
    }

    String secret() {
      byte[] x509 = keys.getPublic().getEncoded();
      return hex(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    TestRequest signed(byte[] body) {
      String sig = hex(sign("Ed25519", keys, concat(utf8(String.valueOf(T)), body)));
      return TestRequest.at(NOW).body(body).header("X-Signature-Ed25519", sig).header("X-Signature-Timestamp", String.valueOf(T));
    }

    String signatureHeader() {
      return "X-Signature-Ed25519";
    }

    List<String> signedHeaders() {
      return List.of("X-Signature-Ed25519", "X-Signature-Timestamp");
    }
  }

  @Group
  class SendGrid extends CatalogueScheme {
    final KeyPair keys = generate("EC", new ECGenParameterSpec("secp256r1"));

    String provider() {
      return "sendgrid";
    }

    boolean sameKey(String other) {
      byte[] decoded = Codecs.base64Lenient(other.replaceAll("\\s", ""));
      return decoded != null && Arrays.equals(decoded, keys.getPublic().getEncoded());
    }

    String secret() {
      return base64(keys.getPublic().getEncoded());
    }

    TestRequest signed(byte[] body) {
      String sig = base64(sign("SHA256withECDSA", keys, concat(utf8(String.valueOf(T)), body)));
      return TestRequest.at(NOW).body(body).header("X-Twilio-Email-Event-Webhook-Signature", sig)
          .header("X-Twilio-Email-Event-Webhook-Timestamp", String.valueOf(T));
    }

    String signatureHeader() {
      return "X-Twilio-Email-Event-Webhook-Signature";
    }

    List<String> signedHeaders() {
      return List.of("X-Twilio-Email-Event-Webhook-Timestamp");
    }
  }

  @Group
  class Zoom extends CatalogueScheme {
    String provider() {
      return "zoom";
    }

    String secret() {
      return "zoom-secret";
    }

    TestRequest signed(byte[] body) {
      String sig = "v0=" + hex(hmacSha256(secret(), utf8("v0:" + T + ":"), body));
      return TestRequest.at(NOW).body(body).header("x-zm-signature", sig).header("x-zm-request-timestamp", String.valueOf(T));
    }

    String signatureHeader() {
      return "x-zm-signature";
    }

    List<String> signedHeaders() {
      return List.of("x-zm-signature", "x-zm-request-timestamp");
    }
  }

  @Group
  class Twitch extends CatalogueScheme {
    String provider() {
      return "twitch";
    }

    String secret() {
      return "twitch-secret";
    }

    TestRequest signed(byte[] body) {
      String id = "msg-1";
      String sig = "sha256=" + hex(hmacSha256(secret(), utf8(id + TWITCH_TS), body));
      return TestRequest.at(java.time.Instant.parse(TWITCH_TS).toEpochMilli()).body(body)
          .header("Twitch-Eventsub-Message-Signature", sig).header("Twitch-Eventsub-Message-Id", id)
          .header("Twitch-Eventsub-Message-Timestamp", TWITCH_TS).header("Twitch-Eventsub-Message-Type", "notification");
    }

    String signatureHeader() {
      return "Twitch-Eventsub-Message-Signature";
    }

    List<String> signedHeaders() {
      return List.of("Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Id", "Twitch-Eventsub-Message-Timestamp");
    }
  }

  @Group
  class HubSpot extends CatalogueScheme {
    static final String URL = "https://hooks.example.com/webhooks/hs";

    String provider() {
      return "hubspot";
    }

    String secret() {
      return "hubspot-secret";
    }

    TestRequest signed(byte[] body) {
      String sig = base64(hmacSha256(secret(), utf8("POST" + URL), body, utf8(String.valueOf(NOW))));
      return TestRequest.at(NOW).url(URL).body(body).header("X-HubSpot-Signature-v3", sig)
          .header("X-HubSpot-Request-Timestamp", String.valueOf(NOW));
    }

    String signatureHeader() {
      return "X-HubSpot-Signature-v3";
    }

    List<String> signedHeaders() {
      return List.of("X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp");
    }
  }

  @Group
  class Square extends CatalogueScheme {
    static final String URL = "https://hooks.example.com/webhooks/sq";

    String provider() {
      return "square";
    }

    String secret() {
      return "square-key";
    }

    Map<String, Object> options() {
      return Map.of("notificationUrl", URL);
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("x-square-hmacsha256-signature", base64(hmacSha256(secret(), utf8(URL), body)));
    }

    String signatureHeader() {
      return "x-square-hmacsha256-signature";
    }
  }

  @Group
  class Meta extends CatalogueScheme {
    String provider() {
      return "meta";
    }

    String secret() {
      return "meta-app-secret";
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Hub-Signature-256", "sha256=" + hex(hmacSha256(secret(), body)));
    }

    String signatureHeader() {
      return "X-Hub-Signature-256";
    }
  }

  @Group
  class Dropbox extends CatalogueScheme {
    String provider() {
      return "dropbox";
    }

    String secret() {
      return "dropbox-secret";
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Dropbox-Signature", hex(hmacSha256(secret(), body)));
    }

    String signatureHeader() {
      return "X-Dropbox-Signature";
    }
  }

  @Group
  class Twitter extends CatalogueScheme {
    String provider() {
      return "twitter";
    }

    String secret() {
      return "consumer-secret";
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("x-twitter-webhooks-signature", "sha256=" + base64(hmacSha256(secret(), body)));
    }

    String signatureHeader() {
      return "x-twitter-webhooks-signature";
    }
  }

  @Group
  class WooCommerce extends CatalogueScheme {
    String provider() {
      return "woocommerce";
    }

    String secret() {
      return "wc-secret";
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-WC-Webhook-Signature", base64(hmacSha256(secret(), body)));
    }

    String signatureHeader() {
      return "X-WC-Webhook-Signature";
    }
  }

  @Group
  class Okta extends CatalogueScheme {
    String provider() {
      return "okta";
    }

    String secret() {
      return "Bearer okta-hook-secret";
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("Authorization", secret());
    }

    String signatureHeader() {
      return "Authorization";
    }

    boolean signsBody() {
      return false;
    }
  }

  /** Mailgun signs timestamp + token inside the body: one changed character of either, or of the signature, is rejected. */
  @Group
  class Mailgun {
    static final String KEY = "mailgun-signing-key";
    final SignatureVerifier verifier = Catalogue.build("mailgun", List.of(Secret.of(KEY)), Map.of());

    String body(String timestamp, String token, String signature) {
      return "{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token + "\",\"signature\":\"" + signature
          + "\"},\"event-data\":{\"event\":\"delivered\"}}";
    }

    @Property(tries = 200)
    void signedIsAcceptedAndAnyChangedCharacterIsNot(@ForAll("tokens") String token, @ForAll @IntRange(min = 0, max = 1000) int position,
                                                     @ForAll @IntRange(min = 0, max = 2) int field) {
      String ts = String.valueOf(T);
      String sig = hex(hmacSha256(KEY, utf8(ts + token)));
      assertThat(verifier.verify(TestRequest.at(NOW).body(body(ts, token, sig))).accepted()).isTrue();
      String[] parts = {ts, token, sig};
      String value = parts[field];
      int at = position % value.length();
      char c = value.charAt(at);
      char replacement = c == '0' ? '1' : (Character.isDigit(c) ? '0' : (c == 'a' ? 'b' : 'a'));
      parts[field] = value.substring(0, at) + replacement + value.substring(at + 1);
      assertNotAccepted(verifier.verify(TestRequest.at(NOW).body(body(parts[0], parts[1], parts[2]))));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> tokens() {
      return net.jqwik.api.Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(50);
    }
  }

  /** Graph: every notification's clientState must be the secret; one changed character of any is rejected. */
  @Group
  class MsGraph {
    static final String STATE = "client-state-secret";
    final SignatureVerifier verifier = Catalogue.build("msgraph", List.of(Secret.of(STATE)), Map.of());

    @Property(tries = 200)
    void everyClientStateMustMatch(@ForAll @IntRange(min = 1, max = 5) int count, @ForAll @IntRange(min = 0, max = 4) int which,
                                   @ForAll @IntRange(min = 0, max = 1000) int position) {
      StringBuilder ok = new StringBuilder("{\"value\":[");
      StringBuilder bad = new StringBuilder("{\"value\":[");
      String changed = STATE.substring(0, position % STATE.length()) + '#' + STATE.substring(position % STATE.length() + 1);
      for (int i = 0; i < count; i++) {
        String n = "{\"subscriptionId\":\"s" + i + "\",\"changeType\":\"updated\",\"clientState\":\"%s\"}";
        ok.append(i > 0 ? "," : "").append(n.formatted(STATE));
        bad.append(i > 0 ? "," : "").append(n.formatted(i == which % count ? changed : STATE));
      }
      assertThat(verifier.verify(TestRequest.at(NOW).body(ok + "]}")).accepted()).isTrue();
      assertNotAccepted(verifier.verify(TestRequest.at(NOW).body(bad + "]}")));
    }
  }

  static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        generator.initialize(spec);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(String algorithm, KeyPair keys, byte[] content) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(keys.getPrivate());
      signer.update(content);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
