package io.hookline.verify;

import io.hookline.verify.provider.Verifiers;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hmac;
import static io.hookline.verify.Signing.utf8;
import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertMessageHides;
import static io.hookline.verify.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksSignatureVerifierTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OLD_SECRET = "whsec_" + base64(utf8("an older key that is being rotated out"));
  static final long NOW = 1_614_265_330_000L;
  static final long T = NOW / 1000;
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final String BODY = "{\"type\":\"user.created\",\"data\":{\"id\":1}}";

  static String v1(String secret, String id, long t, String body) {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    return "v1," + base64(hmac("HmacSHA256", key, utf8(id + "." + t + "." + body)));
  }

  static TestRequest signed(String signatureHeader, String id, long t, String body) {
    return TestRequest.at(NOW).body(body)
        .header("webhook-id", id)
        .header("webhook-timestamp", Long.toString(t))
        .header("webhook-signature", signatureHeader);
  }

  static TestRequest signed(String secret, long t, String body) {
    return signed(v1(secret, ID, t, body), ID, t, body);
  }

  final SignatureVerifier verifier = Verifiers.create(Signing.spec("standard", List.of(SECRET, OLD_SECRET)));

  @Test
  void acceptsTheSpecExample() {
    TestRequest request = signed("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", ID, 1614265330, "{\"test\": 2432232314}");
    assertAccepted(verifier.verify(request), ID, null);
  }

  @Test
  void acceptsValidSignatureWithTypeFromBody() {
    assertAccepted(verifier.verify(signed(SECRET, T, BODY)), ID, "user.created");
  }

  @Test
  void acceptsEveryKeyOfARotationAndAnyListedSignature() {
    assertAccepted(verifier.verify(signed(OLD_SECRET, T, BODY)));
    String other = "whsec_" + base64(utf8("not configured here at all......"));
    String several = v1(other, ID, T, BODY) + " v2,abc  v1," + "A".repeat(43) + "= " + v1(OLD_SECRET, ID, T, BODY);
    assertAccepted(verifier.verify(signed(several, ID, T, BODY)));
    String damaged = v1(OLD_SECRET, ID, T, BODY) + " v1,not-base64";
    assertRejected(verifier.verify(signed(damaged, ID, T, BODY)), Reason.MALFORMED_SIGNATURE);
    assertAccepted(verifier.verify(signed(several, ID, T, BODY)));
  }

  @Test
  void refusesAKeyPastItsNotAfter() {
    SignatureVerifier rotating = Verifiers.create(Signing.specWithSecrets("standard",
        List.of(Secret.of(SECRET), Signing.expiring(OLD_SECRET, NOW - 1))));
    assertRejected(rotating.verify(signed(OLD_SECRET, T, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsTamperedBodyIdOrTimestamp() {
    assertRejected(verifier.verify(signed(SECRET, T, BODY).body(BODY + " ")), Reason.INVALID_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, BODY).setHeader("webhook-id", "msg_other")), Reason.INVALID_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, BODY).setHeader("webhook-timestamp", Long.toString(T + 1))),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsWrongSecretWithoutLeakingIt() {
    String other = "whsec_" + base64(utf8("wrong key wrong key wrong key!!"));
    Verification v = verifier.verify(signed(other, T, BODY));
    assertRejected(v, Reason.INVALID_SIGNATURE);
    assertMessageHides(v, SECRET, OLD_SECRET, v1(SECRET, ID, T, BODY).substring(3));
  }

  @Test
  void rejectsStaleAndFutureTimestamps() {
    assertRejected(verifier.verify(signed(SECRET, T - 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertRejected(verifier.verify(signed(SECRET, T + 301, BODY)), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    assertAccepted(verifier.verify(signed(SECRET, T + 300, BODY)));
  }

  @Test
  void rejectsMissingHeaders() {
    assertRejected(verifier.verify(TestRequest.at(NOW).body(BODY)), Reason.MISSING_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, BODY).setHeader("webhook-id", null)), Reason.MALFORMED_SIGNATURE);
    assertRejected(verifier.verify(signed(SECRET, T, BODY).setHeader("webhook-timestamp", null)), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsRepeatedHeaders() {
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      TestRequest request = signed(SECRET, T, BODY);
      request.header(name, request.header(name));
      assertRejected(verifier.verify(request), name.equals("webhook-id") ? Reason.MALFORMED_EVENT_ID : Reason.MALFORMED_SIGNATURE);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v1", "v1,", "v1,not base64!", "v1,AAAA", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
      "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE==",
      "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="})
  void rejectsMalformedSignatureHeaders(String header) {
    assertRejected(verifier.verify(signed(header, ID, T, BODY)), Reason.MALFORMED_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1614265330", "1614265330.5", " 1614265330", "0x60380a72"})
  void rejectsMalformedTimestamps(String timestamp) {
    TestRequest request = signed(SECRET, T, BODY).setHeader("webhook-timestamp", timestamp);
    assertRejected(verifier.verify(request), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsTooManySignatures() {
    String many = (v1(OLD_SECRET, ID, T, BODY) + " ").repeat(StandardWebhooksSignatureVerifier.MAX_SIGNATURES) + v1(SECRET, ID, T, BODY);
    assertRejected(verifier.verify(signed(many, ID, T, BODY)), Reason.MALFORMED_SIGNATURE);
  }

  // ---- v1a: Ed25519

  static KeyPair ed25519() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** The raw 32-byte key is the tail of the X.509 encoding the JDK produces. */
  static String whpk(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    return "whpk_" + base64(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
  }

  static String v1a(PrivateKey key, String id, long t, String body) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(key);
    signature.update(utf8(id + "." + t + "." + body));
    return "v1a," + base64(signature.sign());
  }

  @Test
  void acceptsEd25519SignaturesFromJdkKeys() throws Exception {
    KeyPair current = ed25519();
    KeyPair previous = ed25519();
    SignatureVerifier ed = Verifiers.create(Signing.spec("standard", List.of(whpk(current), whpk(previous), SECRET)));
    assertAccepted(ed.verify(signed(v1a(current.getPrivate(), ID, T, BODY), ID, T, BODY)), ID, "user.created");
    assertAccepted(ed.verify(signed(v1a(previous.getPrivate(), ID, T, BODY), ID, T, BODY)));
    assertAccepted(ed.verify(signed(SECRET, T, BODY)));
    String both = v1(OLD_SECRET, ID, T, BODY) + " " + v1a(current.getPrivate(), ID, T, BODY);
    assertAccepted(ed.verify(signed(both, ID, T, BODY)));
  }

  /** The sender's {@code whsk_} key: the 32-byte seed (the tail of the JDK's PKCS#8 form), or seed and public key. */
  static String whsk(KeyPair pair, boolean withPublicKey) {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    if (!withPublicKey) {
      return "whsk_" + base64(seed);
    }
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] both = Arrays.copyOf(seed, 64);
    System.arraycopy(x509, x509.length - 32, both, 32, 32);
    return "whsk_" + base64(both);
  }

  @Test
  void sendSignsV1aForAPublicKeySourceWithTheSendersWhskKey() throws Exception {
    KeyPair pair = ed25519();
    SignatureVerifier ed = Verifiers.create(Signing.spec("standard", List.of(whpk(pair))));
    io.hookline.verify.Provider standard = io.hookline.verify.provider.Providers.find("standard");
    for (boolean withPublicKey : new boolean[] {false, true}) {
      PrivateKey key = SigningKeys.parse(whsk(pair, withPublicKey));
      SignedEvent event = standard.signer().sign(new SendInput(whpk(pair), utf8(BODY), ID, T, null, null, key));
      assertThat(event.headers().get("webhook-signature")).startsWith("v1a,");
      TestRequest request = TestRequest.at(NOW).body(BODY);
      event.headers().forEach(request::header);
      assertAccepted(ed.verify(request), ID, "user.created");
    }
    // Another sender's key signs, but not for this source; without a key send says what it needs.
    SignedEvent other = standard.signer().sign(new SendInput(whpk(pair), utf8(BODY), ID, T, null, null,
        SigningKeys.parse(whsk(ed25519(), false))));
    TestRequest forged = TestRequest.at(NOW).body(BODY);
    other.headers().forEach(forged::header);
    assertRejected(ed.verify(forged), Reason.INVALID_SIGNATURE);
    assertThatThrownBy(() -> standard.signer().sign(new SendInput(whpk(pair), utf8(BODY), ID, T, null, null, null)))
        .hasMessageContaining("--private-key");
    assertThatThrownBy(() -> SigningKeys.parse("whsk_" + base64(new byte[16]))).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SigningKeys.parse("whsk_not base64!")).hasMessageContaining("base64");
  }

  @Test
  void rejectsEd25519SignatureOfOtherContentOrKey() throws Exception {
    KeyPair pair = ed25519();
    SignatureVerifier ed = Verifiers.create(Signing.spec("standard", List.of(whpk(pair))));
    String signature = v1a(pair.getPrivate(), ID, T, BODY);
    assertRejected(ed.verify(signed(signature, ID, T, BODY + " ")), Reason.INVALID_SIGNATURE);
    assertRejected(ed.verify(signed(signature, "msg_other", T, BODY)), Reason.INVALID_SIGNATURE);
    assertRejected(ed.verify(signed(v1a(ed25519().getPrivate(), ID, T, BODY), ID, T, BODY)), Reason.INVALID_SIGNATURE);
    assertRejected(ed.verify(signed(v1a(pair.getPrivate(), ID, T - 400, BODY), ID, T - 400, BODY)),
        Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    // an HMAC signature cannot be checked with only a public key configured
    assertRejected(ed.verify(signed(SECRET, T, BODY)), Reason.MALFORMED_SIGNATURE);
    // the verifier keeps working after a failure on the same thread
    assertAccepted(ed.verify(signed(signature, ID, T, BODY)));
  }

  @Test
  void rejectsNonCanonicalEd25519Signature() throws Exception {
    KeyPair pair = ed25519();
    SignatureVerifier ed = Verifiers.create(Signing.spec("standard", List.of(whpk(pair))));
    byte[] sig = Base64.getDecoder().decode(v1a(pair.getPrivate(), ID, T, BODY).substring(4));
    // S + L (the group order) is the classic malleated twin of a valid signature.
    java.math.BigInteger l = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] sLittle = Arrays.copyOfRange(sig, 32, 64);
    byte[] sBig = new byte[32];
    for (int i = 0; i < 32; i++) {
      sBig[i] = sLittle[31 - i];
    }
    byte[] malleated = new java.math.BigInteger(1, sBig).add(l).toByteArray();
    byte[] out = sig.clone();
    for (int i = 0; i < 32; i++) {
      int from = malleated.length - 1 - i;
      out[32 + i] = from >= 0 ? malleated[from] : 0;
    }
    assertRejected(ed.verify(signed("v1a," + base64(out), ID, T, BODY)), Reason.INVALID_SIGNATURE);
  }

  @Test
  void refusesPublicKeysThatAreNotEd25519Points() {
    byte[] notOnCurve = new byte[32];
    notOnCurve[0] = 2; // y = 2 gives no x on the curve
    assertThat(Ed25519Key.onCurve(notOnCurve)).isFalse();
    byte[] tooLarge = new byte[32];
    Arrays.fill(tooLarge, (byte) 0xff);
    tooLarge[31] = 0x7f;
    for (byte[] raw : List.of(notOnCurve, tooLarge, new byte[31])) {
      assertThatThrownBy(() -> Verifiers.create(Signing.spec("standard", List.of(SECRET, "whpk_" + base64(raw)))))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("sources[0].secrets[1]:");
    }
  }
}
