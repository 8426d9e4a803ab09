package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;

import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.hmacSha256;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The same four properties for every scheme: a correctly signed request is accepted; garbage or a
 * near miss in the signature header never throws and is never accepted; changing any single byte of
 * the body, or any single character of a signed header (signature, timestamp, signed id), is never
 * accepted. Tries are kept modest so the whole suite stays within seconds.
 */
class SignaturePropertiesTest {
  static final long NOW = 1_700_000_000_000L;
  static final long T = NOW / 1000;

  /** One configured scheme and how to sign a request for it. */
  abstract static class Scheme {
    abstract SignatureVerifier verifier();

    abstract TestRequest signed(byte[] body);

    abstract String signatureHeader();

    /** Headers whose every character is covered by the signature (or is the signature). */
    List<String> signedHeaders() {
      return List.of(signatureHeader());
    }

    /** False for schemes that authenticate the sender but not the content (basic, apikey). */
    boolean signsBody() {
      return true;
    }

    @Provide
    Arbitrary<byte[]> bodies() {
      return Arbitraries.oneOf(
          Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300),
          // No control characters: an id with them is refused (malformed_event_id, EventIdsTest).
          Arbitraries.strings().ofMinLength(1).ofMaxLength(100).filter(s -> s.chars().noneMatch(Character::isISOControl))
              .map(s -> ("{\"id\":\"" + s + "\",\"type\":\"t\"}")
              .getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 100)
    void acceptsWhatItSigned(@ForAll("bodies") byte[] body) {
      Verification v = verifier().verify(signed(body));
      assertThat(v.kind()).as("%s", v).isIn(Verification.Kind.ACCEPTED, Verification.Kind.HANDSHAKE);
    }

    @Property(tries = 300)
    void garbageSignatureHeadersNeverThrowAndNeverPass(@ForAll("garbage") String value) {
      TestRequest request = signed(utf8("{\"id\":\"evt\"}")).setHeader(signatureHeader(), value);
      assertNotAccepted(verifier().verify(request));
    }

    @Property(tries = 300)
    void nearMissesOfAValidHeaderNeverPass(@ForAll("bodies") byte[] body, @ForAll("nearMiss") NearMiss miss) {
      TestRequest request = signed(body);
      String valid = request.header(signatureHeader());
      String changed = miss.apply(valid);
      Assume.that(changed != null && !changed.equals(valid));
      assertNotAccepted(verifier().verify(request.setHeader(signatureHeader(), changed)));
    }

    @Property(tries = 300)
    void changingAnyBodyByteIsRejected(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 0, max = 10_000) int position,
                                       @ForAll @IntRange(min = 1, max = 255) int xor) {
      if (!signsBody()) {
        return;
      }
      TestRequest request = signed(body);
      byte[] tampered = body.clone();
      tampered[position % tampered.length] ^= (byte) xor;
      assertNotAccepted(verifier().verify(request.body(tampered)));
    }

    @Property(tries = 400)
    void changingAnyCharacterOfASignedHeaderIsRejected(@ForAll("bodies") byte[] body,
                                                       @ForAll @IntRange(min = 0, max = 10) int whichHeader,
                                                       @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                       @ForAll("replacements") char replacement) {
      TestRequest request = signed(body);
      List<String> headers = signedHeaders();
      String name = headers.get(whichHeader % headers.size());
      String value = request.header(name);
      int at = position % value.length();
      char original = value.charAt(at);
      // Spellings that mean the same thing: hex and scheme names are case-insensitive, and one
      // separator blank is as good as another.
      Assume.that(Character.toLowerCase(original) != Character.toLowerCase(replacement));
      Assume.that(!(isBlank(original) && isBlank(replacement)));
      String changed = value.substring(0, at) + replacement + value.substring(at + 1);
      assertNotAccepted(verifier().verify(request.setHeader(name, changed)));
    }

    @Provide
    Arbitrary<Character> replacements() {
      return Arbitraries.oneOf(Arbitraries.chars().range(' ', '~'), Arbitraries.of('\t', '\u00e9', '\u0000', '\u2028', '\uffff'));
    }

    @Provide
    Arbitrary<String> garbage() {
      Arbitrary<String> tokens = Arbitraries.of("t=", "v1=", "v0=", ",", ";", "=", "==", " ", "ts=", "h1=", "sha256=", "v1,",
          "v1a,", "Basic ", "Bearer ", "1700000000", "deadbeef", "0".repeat(64), "A".repeat(43) + "=", "AAAA", "é", "\u0000",
          "-", "+", "/", "_");
      return Arbitraries.oneOf(
          Arbitraries.strings().all().ofMaxLength(200),
          Arbitraries.strings().ascii().ofMaxLength(200),
          Arbitraries.strings().withChars("0123456789abcdefABCDEF=,;: ").ofMaxLength(160),
          Arbitraries.strings().withCharRange(' ', '~').ofMinLength(8000).ofMaxLength(20_000),
          tokens.list().ofMaxSize(12).map(parts -> String.join("", parts)),
          Arbitraries.just(""));
    }

    @Provide
    Arbitrary<NearMiss> nearMiss() {
      return Combinators.combine(Arbitraries.of(NearMiss.Kind.values()), Arbitraries.integers().between(0, 10_000),
          Arbitraries.chars().range('!', '~')).as(NearMiss::new);
    }
  }

  /** A truncation, a deletion or a duplication of part of a valid header value. */
  record NearMiss(Kind kind, int position, char c) {
    enum Kind { TRUNCATE_END, TRUNCATE_START, DELETE_ONE, DOUBLE_ONE, REPEAT_WHOLE }

    String apply(String valid) {
      int at = position % valid.length();
      return switch (kind) {
        case TRUNCATE_END -> valid.substring(0, at);
        case TRUNCATE_START -> valid.substring(at + 1);
        case DELETE_ONE -> valid.substring(0, at) + valid.substring(at + 1);
        case DOUBLE_ONE -> isBlank(valid.charAt(at)) ? null : valid.substring(0, at + 1) + valid.substring(at);
        case REPEAT_WHOLE -> valid + valid;
      };
    }
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  static void assertNotAccepted(Verification v) {
    assertThat(v).isNotNull();
    assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.REJECTED);
    assertThat(v.reason()).isNotNull();
    assertThat(v.message()).isNotBlank();
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  // ------------------------------------------------------------------ the schemes

  @Group
  class Stripe extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("stripe", List.of("whsec_a", "whsec_b")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      String v1 = hex(hmacSha256("whsec_b", utf8(T + "."), body));
      return TestRequest.at(NOW).body(body).header("Stripe-Signature", "t=" + T + ",v1=" + v1);
    }

    String signatureHeader() {
      return "Stripe-Signature";
    }
  }

  @Group
  class GitHub extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("github", List.of("gh")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Hub-Signature-256", "sha256=" + hex(hmacSha256("gh", body)));
    }

    String signatureHeader() {
      return "X-Hub-Signature-256";
    }
  }

  @Group
  class StandardHmac extends Scheme {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("standard", List.of(SECRET)));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      byte[] key = Base64.getDecoder().decode(SECRET.substring(6));
      String sig = base64(hmac("HmacSHA256", key, utf8("msg_1." + T + "."), body));
      return TestRequest.at(NOW).body(body).header("webhook-id", "msg_1").header("webhook-timestamp", Long.toString(T))
          .header("webhook-signature", "v1," + sig);
    }

    String signatureHeader() {
      return "webhook-signature";
    }

    @Override
    List<String> signedHeaders() {
      return List.of("webhook-signature", "webhook-id", "webhook-timestamp");
    }
  }

  @Group
  class StandardEd25519 extends Scheme {
    final KeyPair pair = generate();
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("standard", List.of(whpk(pair))));

    static KeyPair generate() {
      try {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    static String whpk(KeyPair pair) {
      byte[] encoded = pair.getPublic().getEncoded();
      return "whpk_" + base64(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      try {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(concat(utf8("msg_2." + T + "."), body));
        return TestRequest.at(NOW).body(body).header("webhook-id", "msg_2").header("webhook-timestamp", Long.toString(T))
            .header("webhook-signature", "v1a," + base64(signer.sign()));
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    String signatureHeader() {
      return "webhook-signature";
    }

    @Override
    List<String> signedHeaders() {
      return List.of("webhook-signature", "webhook-id", "webhook-timestamp");
    }
  }

  @Group
  class Shopify extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("shopify", List.of("shp")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Shopify-Hmac-Sha256", base64(hmacSha256("shp", body)));
    }

    String signatureHeader() {
      return "X-Shopify-Hmac-Sha256";
    }
  }

  @Group
  class Slack extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("slack", List.of("slk")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Slack-Request-Timestamp", Long.toString(T))
          .header("X-Slack-Signature", "v0=" + hex(hmacSha256("slk", utf8("v0:" + T + ":"), body)));
    }

    String signatureHeader() {
      return "X-Slack-Signature";
    }

    @Override
    List<String> signedHeaders() {
      return List.of("X-Slack-Signature", "X-Slack-Request-Timestamp");
    }
  }

  /** JSON posts: the body is bound through bodySHA256 in the signed URL. */
  @Group
  class TwilioJson extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("twilio", List.of("tw")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      try {
        String url = "https://h.example/webhooks/tw?bodySHA256=" + hex(MessageDigest.getInstance("SHA-256").digest(body));
        return TestRequest.at(NOW).url(url).body(body).header("Content-Type", "application/json")
            .header("X-Twilio-Signature", base64(hmac("HmacSHA1", utf8("tw"), utf8(url))));
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    String signatureHeader() {
      return "X-Twilio-Signature";
    }
  }

  /**
   * Form posts. Twilio's scheme concatenates names and values with no separator, so some one-byte
   * edits of the raw body ("a=b" to "a&amp;b") sign the same string for Twilio too: the body property
   * here edits only parameter values, keeping the structure.
   */
  @Group
  class TwilioForm extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("twilio", List.of("tw")));
    static final String URL = "https://h.example/webhooks/tw?x=1";

    SignatureVerifier verifier() {
      return verifier;
    }

    @Override
    boolean signsBody() {
      return false;
    }

    TestRequest signed(byte[] body) {
      return signedForm(Map.of("MessageSid", "SM1", "Body", new String(body, StandardCharsets.ISO_8859_1)));
    }

    TestRequest signedForm(Map<String, String> params) {
      StringBuilder form = new StringBuilder();
      StringBuilder data = new StringBuilder(URL);
      new TreeMap<>(params).forEach((k, v) -> {
        form.append(form.length() == 0 ? "" : "&").append(k).append('=')
            .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        data.append(k).append(v);
      });
      return TestRequest.at(NOW).url(URL).body(form.toString()).header("Content-Type", "application/x-www-form-urlencoded")
          .header("X-Twilio-Signature", base64(hmac("HmacSHA1", utf8("tw"), utf8(data.toString()))));
    }

    String signatureHeader() {
      return "X-Twilio-Signature";
    }

    @Property(tries = 300)
    void changingAnyValueCharacterIsRejected(@ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.constraints.AlphaChars
        @net.jqwik.api.constraints.StringLength(min = 1, max = 20) String> values,
                                             @ForAll @IntRange(min = 0, max = 1000) int position,
                                             @ForAll @net.jqwik.api.constraints.AlphaChars char replacement) {
      Map<String, String> params = new TreeMap<>();
      for (int i = 0; i < values.size(); i++) {
        params.put("P" + i, values.get(i));
      }
      TestRequest request = signedForm(params);
      String body = new String(request.body(), StandardCharsets.UTF_8);
      List<Integer> valuePositions = new ArrayList<>();
      boolean inValue = false;
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (c == '=') {
          inValue = true;
        } else if (c == '&') {
          inValue = false;
        } else if (inValue) {
          valuePositions.add(i);
        }
      }
      int at = valuePositions.get(position % valuePositions.size());
      Assume.that(body.charAt(at) != replacement);
      String tampered = body.substring(0, at) + replacement + body.substring(at + 1);
      assertNotAccepted(verifier.verify(request.body(tampered)));
    }
  }

  @Group
  class Paddle extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("paddle", List.of("pdl_1", "pdl_2")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body)
          .header("Paddle-Signature", "ts=" + T + ";h1=" + hex(hmacSha256("pdl_1", utf8(T + ":"), body)));
    }

    String signatureHeader() {
      return "Paddle-Signature";
    }
  }

  @Group
  class GenericHmac extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("hmac", List.of("gen"), null, Map.of(
        "header", "X-Sig", "encoding", "base64", "algorithm", "sha512", "prefix", "sha512=",
        "signedContent", "{id}.{timestamp}.{body}", "timestampHeader", "X-Ts", "idHeader", "X-Id")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      String sig = base64(hmac("HmacSHA512", utf8("gen"), utf8("id-7." + T + "."), body));
      return TestRequest.at(NOW).body(body).header("X-Sig", "sha512=" + sig).header("X-Ts", Long.toString(T))
          .header("X-Id", "id-7");
    }

    String signatureHeader() {
      return "X-Sig";
    }

    @Override
    List<String> signedHeaders() {
      return List.of("X-Sig", "X-Ts", "X-Id");
    }
  }

  @Group
  class GenericHmacHex extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("hmac", List.of("gen"), null, Map.of(
        "header", "X-Signature", "algorithm", "sha1")));

    SignatureVerifier verifier() {
      return verifier;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("X-Signature", hex(hmac("HmacSHA1", utf8("gen"), body)));
    }

    String signatureHeader() {
      return "X-Signature";
    }
  }

  @Group
  class Basic extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("basic", List.of("user:pass", "old:pw")));

    SignatureVerifier verifier() {
      return verifier;
    }

    @Override
    boolean signsBody() {
      return false;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("Authorization", "Basic " + base64(utf8("user:pass")));
    }

    String signatureHeader() {
      return "Authorization";
    }
  }

  @Group
  class ApiKey extends Scheme {
    final SignatureVerifier verifier = Verifiers.create(Signing.spec("apikey", List.of("k-123456"), null,
        Map.of("header", "Authorization", "prefix", "Bearer ")));

    SignatureVerifier verifier() {
      return verifier;
    }

    @Override
    boolean signsBody() {
      return false;
    }

    TestRequest signed(byte[] body) {
      return TestRequest.at(NOW).body(body).header("Authorization", "Bearer k-123456");
    }

    String signatureHeader() {
      return "Authorization";
    }
  }
}
