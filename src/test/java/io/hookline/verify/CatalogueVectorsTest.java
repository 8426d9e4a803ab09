package io.hookline.verify;

import static io.hookline.verify.Verdicts.assertAccepted;
import static io.hookline.verify.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.config.Secret;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue's vectors (src/test/resources/vectors/&lt;provider&gt;.json, made by the providers' SDKs
 * or their documented computations, see the README there) replayed against each provider's verifier:
 * every case as written, and for every accepted or handshake case two near misses derived from it,
 * the body with one byte changed ({@code tamperedBody}) and the source's secrets replaced by wrong
 * ones ({@code wrongSecrets}), both of which must be refused as {@code invalid_signature}.
 */
class CatalogueVectorsTest {
  /** Vector files; each names its provider in {@code scheme}. */
  static final List<String> FILES = List.of("discord", "sendgrid", "zoom", "twitch", "meta", "dropbox", "twitter",
      "msgraph", "okta", "mailgun", "hubspot", "square", "woocommerce", "stripe-thin", "shopify-2025", "twilio-sharedkey",
      "svix", "clerk", "resend", "razorpay", "mux", "box", "coinbase", "linear");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> all = new ArrayList<>();
    for (String fileName : FILES) {
      JsonObject file = PublishedVectorsTest.load(fileName);
      assertThat(file.getString("origin")).as("%s.json says where its vectors come from", fileName).isNotBlank();
      String provider = file.getString("scheme");
      file.getJsonArray("cases").forEach(o -> {
        JsonObject c = (JsonObject) o;
        String name = provider + ": " + c.getString("name");
        all.add(Arguments.of(name, provider, c));
        if (c.containsKey("tamperedBody")) {
          all.add(Arguments.of(name + " [tampered body]", provider,
              c.copy().put("body", c.getString("tamperedBody")).put("expect", "invalid_signature")));
        }
        if (c.containsKey("wrongSecrets")) {
          all.add(Arguments.of(name + " [wrong secret]", provider,
              c.copy().put("secrets", c.getJsonArray("wrongSecrets")).put("expect", "invalid_signature")));
        }
      });
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void vector(String name, String provider, JsonObject c) {
    List<Secret> secrets = c.getJsonArray("secrets").stream().map(s -> Secret.of(String.valueOf(s))).toList();
    Map<String, Object> options = c.getJsonObject("options", new JsonObject()).getMap();
    SignatureVerifier verifier = Catalogue.build(provider, secrets, options);
    TestRequest request = TestRequest.at(c.getLong("receivedAtMillis")).body(c.getString("body"));
    if (c.containsKey("publicUrl")) {
      request.url(c.getString("publicUrl"));
    }
    c.getJsonObject("headers").forEach(h -> request.header(h.getKey(), String.valueOf(h.getValue())));

    Verification v = "GET".equals(c.getString("method")) ? Catalogue.answerGet(verifier, request) : verifier.verify(request);
    String expect = c.getString("expect");
    if (expect.equals("accepted")) {
      assertAccepted(v);
      assertThat(v.eventId()).as("event id").isEqualTo(c.getString("eventId"));
      assertThat(v.eventType()).as("event type").isEqualTo(c.getString("eventType"));
    } else if (expect.equals("handshake")) {
      assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.HANDSHAKE);
      assertThat(new String(v.handshakeBody(), StandardCharsets.UTF_8)).isEqualTo(c.getString("handshakeBody"));
    } else {
      assertRejected(v, Stream.of(Reason.values()).filter(r -> r.code().equals(expect)).findFirst().orElseThrow());
    }
  }
}
