package io.hookline.verify;

import io.hookline.verify.provider.Providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.Secret;
import java.util.List;
import java.util.Map;
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
  void asymmetricProvidersSayTheyCannotSign(String name) {
    assertThatThrownBy(() -> Providers.find(name).signer().sign(SendInput.of("k", new byte[0], "e", NOW_SECONDS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private key");
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
