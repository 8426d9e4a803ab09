package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookline send --source ID [--file F] [--url U] [--event-id X]}: signs a test event with
 * the source's first secret, exactly as its provider would, and posts it to a running node.
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
    byte[] body = file != null
        ? Files.readAllBytes(file)
        : ("{\"id\":\"" + eventId + "\",\"type\":\"hookline.test\",\"event_id\":\"" + eventId
            + "\",\"data\":{\"message\":\"hello from hookline send\"}}").getBytes(StandardCharsets.UTF_8);
    String base = url != null ? url : "http://127.0.0.1:" + config.http().port();
    Map<String, String> headers;
    try {
      headers = EventSigner.sign(source.provider(), source.secrets().get(0).value(), body,
          eventId, System.currentTimeMillis() / 1000);
    } catch (IllegalArgumentException e) {
      // A usage problem (this source's provider), not a crash: no stack trace. The message names
      // the provider, never the secret.
      out.println("send: source '" + sourceId + "': " + e.getMessage());
      return 2;
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/webhooks/" + sourceId))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(req::header);
    HttpResponse<String> resp;
    try {
      resp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      out.println("send: cannot reach " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the node running? (--url to point elsewhere)");
      return 1;
    }
    out.println("POST " + base + "/webhooks/" + sourceId + " -> " + resp.statusCode() + " " + resp.body());
    return resp.statusCode() / 100 == 2 ? 0 : 1;
  }
}
