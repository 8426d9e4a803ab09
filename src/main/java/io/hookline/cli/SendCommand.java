package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import io.hookline.verify.Provider;
import io.hookline.verify.provider.Providers;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.SigningKeys;
import java.security.PrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookline send --source ID [--file F] [--url U] [--event-id X] [--private-key K]}: signs a
 * test event with the source's first secret, exactly as its provider would, and posts it to a
 * running node. The asymmetric providers (Discord, SendGrid) sign with a private key the source
 * does not hold, so it is given with {@code --private-key}, read from a file and never printed.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Sign a test event with a source's first secret, as its provider would, and POST it to a running node.")
public final class SendCommand extends ConfiguredCommand {
  @Option(names = "--source", paramLabel = "ID", description = "the configured source to send as")
  String sourceId;
  @Option(names = "--file", paramLabel = "FILE", description = "the body to send (default: a small JSON test event)")
  Path file;
  @Option(names = "--url", paramLabel = "URL", description = "the node (default: http://127.0.0.1:<http.port>)")
  String url;
  @Option(names = "--event-id", paramLabel = "ID", description = "the provider event id (default: random)")
  String eventIdOption;
  @Option(names = "--private-key", paramLabel = "FILE",
      description = "for discord and sendgrid: the private key matching the source's public key (PKCS#8 PEM; discord also a 64-hex seed)")
  Path privateKeyFile;

  @Override
  protected boolean checksVerifiers() {
    return false; // it signs, it does not verify; an unsignable provider is reported below
  }

  @Override
  protected int run(HooklineConfig config) throws IOException, InterruptedException {
    if (sourceId == null) {
      out.println("send: --source is required (configured sources: "
          + config.sources().stream().map(SourceConfig::id).toList() + ")");
      return 2;
    }
    SourceConfig source = config.source(sourceId);
    if (source == null) {
      out.println("send: no source '" + sourceId + "' in the configuration (configured: "
          + config.sources().stream().map(SourceConfig::id).toList() + ")");
      return 2;
    }
    String eventId = eventIdOption != null ? eventIdOption : "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    Provider provider = Providers.find(source.provider());
    if (provider == null) {
      out.println("send: source '" + sourceId + "': unknown provider '" + source.provider() + "'");
      return 2;
    }
    long now = System.currentTimeMillis() / 1000;
    byte[] body = file != null ? Files.readAllBytes(file) : provider.sampleBody().create(eventId, now);
    String base = url != null ? url : "http://127.0.0.1:" + config.http().port();
    String target = base + "/webhooks/" + sourceId;
    PrivateKey privateKey = null;
    if (privateKeyFile != null) {
      try {
        privateKey = SigningKeys.parse(Files.readString(privateKeyFile));
      } catch (IOException e) {
        out.println("send: --private-key " + privateKeyFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        return 2;
      } catch (IllegalArgumentException e) {
        out.println("send: --private-key " + privateKeyFile + ": " + e.getMessage());
        return 2;
      }
    }
    SignedEvent signed;
    try {
      signed = EventSigner.sign(provider.name(),
          new SendInput(source.secrets().get(0).value(), body, eventId, now, target, source.providerOptions(), privateKey));
    } catch (IllegalArgumentException e) {
      // A usage problem (this source's provider), not a crash: no stack trace. The message names
      // the provider, never the secret.
      out.println("send: source '" + sourceId + "': " + e.getMessage());
      return 2;
    }
    // The signed URL may carry a query (Twilio's bodySHA256, an API key): posted to, never printed.
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(signed.url() != null ? signed.url() : target))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", signed.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().forEach(req::header);
    HttpResponse<String> resp;
    try {
      resp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      out.println("send: cannot reach " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the node running? (--url to point elsewhere)");
      return 1;
    }
    out.println("POST " + target + " -> " + resp.statusCode() + " " + resp.body());
    return resp.statusCode() / 100 == 2 ? 0 : 1;
  }
}
