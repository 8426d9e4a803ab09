package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.verify.Provider;
import io.hookline.verify.provider.Providers;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignedEvent;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider of the registry end to end over real HTTP, Redis and PostgreSQL, through what
 * {@code send} does (its sample body and signer): accepted and stored once, the same event again is
 * {@code duplicate:true} with the first id; an event id with a control character (in a header, or in
 * the body where the provider keeps it there) is 400 {@code malformed_event_id} and nothing is
 * stored. One node for the class with one source per provider, named after it.
 */
class RegistryEndToEndTest {
  /** Key pairs of the asymmetric providers: the source holds the public key, {@code send --private-key} the private one. */
  static final KeyPair DISCORD_KEYS = keyPair("Ed25519", null);
  static final KeyPair SENDGRID_KEYS = keyPair("EC", new ECGenParameterSpec("secp256r1"));
  /** Secrets a provider's scheme needs in a particular form; every other provider gets a plain one. */
  static final Map<String, String> SECRETS = Map.of(
      "standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "svix", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "clerk", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "resend", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "basic", "hookline:e2e password",
      // Discord's public key is the raw 32 bytes in hex: the tail of the X.509 encoding.
      "discord", HexFormat.of().formatHex(Arrays.copyOfRange(DISCORD_KEYS.getPublic().getEncoded(), 12, 44)),
      "sendgrid", Base64.getEncoder().encodeToString(SENDGRID_KEYS.getPublic().getEncoded()));
  static final Map<String, KeyPair> PRIVATE_KEYS = Map.of("discord", DISCORD_KEYS, "sendgrid", SENDGRID_KEYS);

  static KeyPair keyPair(String algorithm, ECGenParameterSpec curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        generator.initialize(curve);
      }
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as {@code openssl genpkey} writes it: PKCS#8 PEM. */
  static String pem(KeyPair keys) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
  }

  /** Options of the configurable schemes: each carries the event id in a header, like a named provider. */
  static final Map<String, String> OPTIONS = Map.of(
      "hmac", "{ header: X-Sig, eventIdHeader: X-Event-Id }",
      "basic", "{ eventIdHeader: X-Event-Id }",
      "apikey", "{ header: X-Api-Key, eventIdHeader: X-Event-Id }");
  /** Providers that send no event id: the body's SHA-256 is the key, so an id cannot be malformed. */
  static final Set<String> NO_ID = Set.of("calendly", "lemonsqueezy", "zoom", "meta", "dropbox", "twitter", "msgraph",
      "sendgrid");

  static TestNode node;
  static String sourcesYaml;

  static String secret(String provider) {
    return SECRETS.getOrDefault(provider, "e2e-secret-" + provider);
  }

  @BeforeAll
  static void start() {
    String sources = Providers.all().stream().map(p -> "  - { id: " + p.name() + ", provider: " + p.name()
        + ", secrets: [\"" + secret(p.name()) + "\"]" + (OPTIONS.containsKey(p.name()) ? ", " + p.name() + ": " + OPTIONS.get(p.name()) : "")
        + " }").collect(Collectors.joining("\n"));
    sourcesYaml = "sources:\n" + sources + "\n";
    node = TestNode.start(sourcesYaml);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Stream<String> providers() {
    return Providers.all().stream().map(Provider::name);
  }

  /** What {@code send} would post for this provider, signed now. */
  static SignedEvent send(String provider, String eventId) {
    return send(provider, eventId, System.currentTimeMillis() / 1000);
  }

  static SignedEvent send(String provider, String eventId, long now) {
    Provider p = Providers.find(provider);
    Map<String, Object> options = OPTIONS.containsKey(provider)
        ? new io.hookline.config.ConfigLoader(Map.of()).load("sources:\n  - { id: x, provider: " + provider + ", secrets: [\""
            + secret(provider) + "\"], " + provider + ": " + OPTIONS.get(provider) + " }\n").source("x").providerOptions()
        : Map.of();
    KeyPair keys = PRIVATE_KEYS.get(provider);
    return EventSigner.sign(provider, new SendInput(secret(provider), p.sampleBody().create(eventId, now), eventId, now,
        node.baseUrl() + "/webhooks/" + provider, options, keys == null ? null : keys.getPrivate()));
  }

  static HttpResponse<String> post(String provider, SignedEvent signed) {
    String target = signed.url() == null ? provider : signed.url().substring((node.baseUrl() + "/webhooks/").length());
    Map<String, String> headers = new java.util.HashMap<>(signed.headers());
    headers.put("Content-Type", signed.contentType());
    return node.post(target, signed.body(), headers);
  }

  long stored(String provider) {
    return node.count("SELECT count(*) FROM {schema}.events WHERE source_id = $1", provider);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void sentAsTheProviderSignsItIsStoredOnceAndTheRepeatIsADuplicate(String provider) {
    String eventId = "e2e-" + provider + "-" + System.nanoTime();
    long now = System.currentTimeMillis() / 1000;
    HttpResponse<String> first = post(provider, send(provider, eventId, now));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(new JsonObject(first.body()).getBoolean("duplicate")).isFalse();
    // The provider's retry: the same event (a body-hashed provider's body is the same too), signed again.
    HttpResponse<String> again = post(provider, send(provider, eventId, now));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getBoolean("duplicate")).as(again.body()).isTrue();
    assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(new JsonObject(first.body()).getString("id"));
    if (!NO_ID.contains(provider)) {
      // The provider's id as sent is the key (DocuSign's joins the envelope id with a time).
      assertThat(node.count("SELECT count(*) FROM {schema}.events WHERE source_id = $1 AND provider_event_id LIKE $2 || '%'",
          provider, eventId)).as("keyed by the provider's id").isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void anEventIdWithAControlCharacterIs400MalformedEventIdAndNothingIsStored(String provider) throws IOException {
    long before = stored(provider);
    // A tab inside a header value passes HTTP parsing (other control characters are refused before
    // any provider sees them: 400 bad_request); in a body it arrives JSON-escaped.
    SignedEvent signed = send(provider, "ctl\t" + System.nanoTime());
    RawResponse r = rawPost(signed.url() == null ? "/webhooks/" + provider : signed.url().substring(node.baseUrl().length()),
        signed);
    if (NO_ID.contains(provider)) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("malformed_event_id");
    assertThat(stored(provider)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theSendCommandSignsLikeTheProviderForEverySource(String provider) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
    io.hookline.config.HooklineConfig config = new io.hookline.config.ConfigLoader(Map.of()).load(sourcesYaml);
    List<String> args = new java.util.ArrayList<>(List.of("--source", provider, "--url", node.baseUrl()));
    java.nio.file.Path keyFile = null;
    if (PRIVATE_KEYS.containsKey(provider)) {
      keyFile = java.nio.file.Files.createTempFile("hookline-send-key", ".pem");
      java.nio.file.Files.writeString(keyFile, pem(PRIVATE_KEYS.get(provider)));
      args.addAll(List.of("--private-key", keyFile.toString()));
    }
    int exit;
    try {
      exit = io.hookline.cli.SendCommand.execute(new io.hookline.cli.SendCommand(), config, out, args.toArray(new String[0]));
    } finally {
      if (keyFile != null) {
        java.nio.file.Files.delete(keyFile);
      }
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("/webhooks/" + provider + " -> 200").contains("\"duplicate\":false")
        .doesNotContain(secret(provider));
  }

  @Test
  void everyProviderIsCovered() {
    assertThat(providers().toList()).hasSizeGreaterThanOrEqualTo(29)
        .containsAll(List.of("stripe", "gitlab", "docusign", "discord", "sendgrid"));
  }

  record RawResponse(int status, String body) {}

  /** HTTP/1.1 over a plain socket: java.net.http refuses control characters in header values, providers' bugs do not. */
  static RawResponse rawPost(String path, SignedEvent signed) throws IOException {
    int port = java.net.URI.create(node.baseUrl()).getPort();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
          .append("\r\nConnection: close\r\nContent-Type: ").append(signed.contentType())
          .append("\r\nContent-Length: ").append(signed.body().length).append("\r\n");
      signed.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = socket.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(signed.body());
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      return new RawResponse(status, response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }
}
