package io.hookline.verify;

import io.hookline.verify.provider.Providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.Secret;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code send}'s signer of each issue-18 provider makes a request its verifier accepts, with the id where the provider puts it. */
class CatalogueSignersTest {
  static final long NOW_SECONDS = 1_700_000_000L;
  static final String URL = "https://hooks.example.com/webhooks/src";

  @ParameterizedTest
  @ValueSource(strings = {"zoom", "twitch", "meta", "dropbox", "twitter", "msgraph", "okta", "mailgun", "hubspot", "square",
      "woocommerce"})
  void signedSampleIsAccepted(String name) {
    Provider provider = Providers.find(name);
    String secret = "Bearer s3cret-for-" + name;
    byte[] body = provider.sampleBody().create("evt_123", NOW_SECONDS);
    SignedEvent event = provider.signer().sign(new SendInput(secret, body, "evt_123", NOW_SECONDS, URL, Map.of()));
    TestRequest request = TestRequest.at(NOW_SECONDS * 1000).body(event.body()).url(event.url() == null ? URL : event.url());
    event.headers().forEach(request::header);

    Verification v = Catalogue.build(name, List.of(Secret.of(secret)), Map.of()).verify(request);
    assertThat(v.accepted()).as("%s", v).isTrue();
    if (List.of("twitch", "okta", "mailgun", "hubspot", "square", "woocommerce").contains(name)) {
      assertThat(v.eventId()).isEqualTo("evt_123");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"discord", "sendgrid"})
  void asymmetricProvidersWithoutAPrivateKeySayWhatIsNeeded(String name) {
    assertThatThrownBy(() -> Providers.find(name).signer().sign(SendInput.of("k", new byte[0], "e", NOW_SECONDS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private key").hasMessageContaining("--private-key");
  }

  static KeyPair keyPair(String provider) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(provider.equals("discord") ? "Ed25519" : "EC");
    if (provider.equals("sendgrid")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    }
    return generator.generateKeyPair();
  }

  static String publicKeySecret(String provider, KeyPair keys) {
    byte[] spki = keys.getPublic().getEncoded();
    return provider.equals("discord") ? Signing.hex(Arrays.copyOfRange(spki, 12, 44)) : Base64.getEncoder().encodeToString(spki);
  }

  @ParameterizedTest
  @ValueSource(strings = {"discord", "sendgrid"})
  void asymmetricProvidersSignWithThePrivateKeyFromPem(String name) throws Exception {
    KeyPair keys = keyPair(name);
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Provider provider = Providers.find(name);
    byte[] body = provider.sampleBody().create("evt_123", NOW_SECONDS);
    SignedEvent event = provider.signer().sign(new SendInput("unused", body, "evt_123", NOW_SECONDS, URL, Map.of(),
        SigningKeys.parse(pem)));
    TestRequest request = TestRequest.at(NOW_SECONDS * 1000).body(event.body());
    event.headers().forEach(request::header);
    Verification v = Catalogue.build(name, List.of(Secret.of(publicKeySecret(name, keys))), Map.of()).verify(request);
    assertThat(v.accepted()).as("%s", v).isTrue();
    // Another key pair's public key refuses it.
    Verification other = Catalogue.build(name, List.of(Secret.of(publicKeySecret(name, keyPair(name)))), Map.of()).verify(request);
    assertThat(other.accepted()).isFalse();
  }

  @Test
  void discordAlsoTakesTheHexSeed() throws Exception {
    // RFC 8032 test 1: this seed's public key is d75a9801…511a.
    String seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    byte[] body = Providers.find("discord").sampleBody().create("evt_1", NOW_SECONDS);
    SignedEvent event = Providers.find("discord").signer().sign(new SendInput("unused", body, "evt_1", NOW_SECONDS, URL, Map.of(),
        SigningKeys.parse(seed + "\n")));
    TestRequest request = TestRequest.at(NOW_SECONDS * 1000).body(event.body());
    event.headers().forEach(request::header);
    Verification v = Catalogue.build("discord",
        List.of(Secret.of("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")), Map.of()).verify(request);
    assertThat(v.accepted()).as("%s", v).isTrue();
  }

  @Test
  void theWrongKindOfPrivateKeyIsRefusedWithoutShowingIt() throws Exception {
    KeyPair ec = keyPair("sendgrid");
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(ec.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    assertThatThrownBy(() -> Providers.find("discord").signer().sign(new SendInput("k", new byte[0], "e", NOW_SECONDS, URL,
        Map.of(), SigningKeys.parse(pem)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
    assertThatThrownBy(() -> SigningKeys.parse("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"))
        .hasMessageContaining("openssl pkcs8").hasMessageNotContaining("MHcCAQEE");
    assertThatThrownBy(() -> SigningKeys.parse("not a key at all")).hasMessageNotContaining("not a key at all");
  }

  @ParameterizedTest
  @ValueSource(strings = {"auth-token-1234", "sharedkey:whsk_shared_secret"})
  void twilioSignsWithTheAuthTokenOrTheSharedKey(String secret) {
    byte[] body = Providers.find("twilio").sampleBody().create("evt_123", NOW_SECONDS);
    SignedEvent event = Providers.find("twilio").signer().sign(new SendInput(secret, body, "evt_123", NOW_SECONDS, URL, Map.of()));
    assertThat(event.headers().containsKey("X-Twilio-Webhooks-Signature-Settings")).isEqualTo(secret.startsWith("sharedkey:"));
    TestRequest request = TestRequest.at(NOW_SECONDS * 1000).body(event.body()).url(event.url());
    event.headers().forEach(request::header);
    request.header("Content-Type", event.contentType());
    Verification v = Catalogue.build("twilio", List.of(Secret.of("other-token"), Secret.of(secret)), Map.of()).verify(request);
    assertThat(v.accepted()).as("%s", v).isTrue();
    assertThat(v.eventId()).isEqualTo("evt_123");
  }
}
