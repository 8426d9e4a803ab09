package io.hookline.verify;

import static io.hookline.verify.SignaturePropertiesTest.NOW;
import static io.hookline.verify.SignaturePropertiesTest.T;
import static io.hookline.verify.SignaturePropertiesTest.assertNotAccepted;
import static io.hookline.verify.SignaturePropertiesTest.concat;
import static io.hookline.verify.Signing.base64;
import static io.hookline.verify.Signing.hex;
import static io.hookline.verify.Signing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.ConfigException;
import io.hookline.config.Secret;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every one-bit change of a configured public key's text, tried exhaustively (the property test
 * samples them), for 20 fresh keys each: it is refused at start-up or no longer verifies what the real key signed. A key
 * has one accepted spelling (canonical DER, a point on the curve), so a typo never goes unnoticed.
 */
class AsymmetricKeyFlipTest {
  private static final byte[] BODY = utf8("{\"event\":\"processed\"}");

  @org.junit.jupiter.api.RepeatedTest(20)
  void everyOneBitChangeOfASendGridKeyIsRefusedOrRejects() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    String key = base64(keys.getPublic().getEncoded());
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(concat(utf8(String.valueOf(T)), BODY));
    TestRequest request = TestRequest.at(NOW).body(BODY)
        .header("X-Twilio-Email-Event-Webhook-Signature", base64(signer.sign()))
        .header("X-Twilio-Email-Event-Webhook-Timestamp", String.valueOf(T));
    assertThat(Catalogue.build("sendgrid", List.of(Secret.of(key)), Map.of()).verify(request).accepted()).isTrue();
    assertEveryFlipRefusedOrRejects("sendgrid", key, request);
  }

  @org.junit.jupiter.api.RepeatedTest(20)
  void everyOneBitChangeOfADiscordKeyIsRefusedOrRejects() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] x509 = keys.getPublic().getEncoded();
    String key = hex(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update(concat(utf8(String.valueOf(T)), BODY));
    TestRequest request = TestRequest.at(NOW).body(BODY)
        .header("X-Signature-Ed25519", hex(signer.sign()))
        .header("X-Signature-Timestamp", String.valueOf(T));
    assertThat(Catalogue.build("discord", List.of(Secret.of(key)), Map.of()).verify(request).accepted()).isTrue();
    assertEveryFlipRefusedOrRejects("discord", key.toLowerCase(), request);
  }

  private static void assertEveryFlipRefusedOrRejects(String provider, String key, TestRequest request) {
    List<String> accepted = new ArrayList<>();
    for (int at = 0; at < key.length(); at++) {
      for (int bit = 0; bit < 7; bit++) {
        char[] chars = key.toCharArray();
        chars[at] = (char) (chars[at] ^ (1 << bit));
        String flipped = new String(chars);
        if (flipped.equalsIgnoreCase(key) && provider.equals("discord")) {
          continue; // hex is case-insensitive: the same key
        }
        SignatureVerifier verifier;
        try {
          verifier = Catalogue.build(provider, List.of(Secret.of(flipped)), Map.of());
        } catch (ConfigException refused) {
          continue;
        }
        Verification v = verifier.verify(request);
        if (v.accepted()) {
          accepted.add("char " + at + " bit " + bit);
        } else {
          assertNotAccepted(v);
        }
      }
    }
    assertThat(accepted).as("one-bit changes of the key that still verify").isEmpty();
  }
}
