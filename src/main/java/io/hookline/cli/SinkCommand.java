package io.hookline.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.config.Secret;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.Verification;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Verifiers;
import io.hookline.verify.WebhookRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookline sink [--port 9000]}: a destination for trying Hookline out. Listens on a port and
 * prints each delivery it receives (method, path, the headers that matter, the body), checking its
 * Standard Webhooks signature with the {@code signingSecret} of every configured destination whose
 * URL points at this port (or the secret in the environment variable {@code --secret-env} names).
 * Answers 200, or 401 when a signature was expected and does not match (so the node retries and
 * the console shows it).
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = "Listen on a port and print each delivery received (for trying Hookline out),"
        + " verifying its Standard Webhooks signature when a signing secret is known.")
public final class SinkCommand extends ConfiguredCommand {
  /** Printed (besides the body); the rest are transport details. */
  private static final List<String> HEADERS_OF_INTEREST = List.of("content-type", "user-agent", "webhook-id",
      "webhook-timestamp", "webhook-signature", "traceparent");
  private static final String HOOKLINE_HEADER_PREFIX = "x-hookline-";
  static final int MAX_PRINTED_BODY = 64 * 1024;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "interface to listen on (default: ${DEFAULT-VALUE})")
  String host;
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", description = "port to listen on (default: ${DEFAULT-VALUE})")
  int port;
  @Option(names = "--secret-env", paramLabel = "NAME",
      description = "environment variable holding the signing secret (whsec_...), instead of the configured destinations'")
  String secretEnv;
  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
      description = "exit after N deliveries (default: run until stopped)")
  int count;

  @Override
  protected boolean checksVerifiers() {
    return false; // it receives deliveries, not webhooks from providers
  }

  @Override
  protected int run(HooklineConfig config) throws IOException, InterruptedException {
    List<Secret> secrets = new ArrayList<>();
    if (secretEnv != null) {
      String value = env.get(secretEnv);
      if (value == null || value.isBlank()) {
        out.println("sink: environment variable " + secretEnv + " (--secret-env) is not set");
        return 2;
      }
      secrets.add(Secret.of(value.trim()));
    } else {
      secrets.addAll(signingSecretsFor(config, port));
    }
    SignatureVerifier verifier = secrets.isEmpty() ? null : Verifiers.create(new VerifierSpec("sink", "standard", secrets,
        Duration.ofMinutes(5), Map.of(), secretEnv != null ? "--secret-env" : "destinations[].signingSecret"));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      out.println("sink: cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); is something else there? (--port)");
      return 1;
    }
    CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
    // One thread: deliveries are printed whole and in the order they arrived.
    ExecutorService printer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hookline-sink");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(printer);
    server.createContext("/", exchange -> {
      try {
        receive(exchange, verifier);
      } finally {
        exchange.close();
        if (count > 0) {
          done.countDown();
        }
      }
    });
    server.start();
    out.println("sink: listening on http://" + host + ":" + server.getAddress().getPort() + "/ ("
        + (verifier == null ? "no signing secret: signatures are printed, not checked"
            : "checking Standard Webhooks signatures with " + secrets.size() + (secrets.size() == 1 ? " secret" : " secrets"))
        + (count > 0 ? "; exits after " + count + (count == 1 ? " delivery" : " deliveries") : "; Ctrl-C stops it") + ")");
    try {
      done.await();
    } finally {
      server.stop(0);
      printer.shutdown();
    }
    return 0;
  }

  /** The signing secrets of the configured destinations that point at this port on this machine. */
  static List<Secret> signingSecretsFor(HooklineConfig config, int port) {
    List<Secret> out = new ArrayList<>();
    for (SourceConfig s : config.sources()) {
      for (DestinationConfig d : s.destinations()) {
        if (d.signingSecret() == null || d.url() == null) {
          continue;
        }
        URI uri = URI.create(d.url());
        boolean local = uri.getHost() != null && List.of("127.0.0.1", "localhost", "::1", "[::1]")
            .contains(uri.getHost().toLowerCase(Locale.ROOT));
        int destinationPort = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (local && destinationPort == port && !out.contains(d.signingSecret())) {
          out.add(d.signingSecret());
        }
      }
    }
    return out;
  }

  private void receive(HttpExchange exchange, SignatureVerifier verifier) throws IOException {
    Instant at = Instant.now();
    byte[] body = exchange.getRequestBody().readAllBytes();
    Headers headers = exchange.getRequestHeaders();
    String verdict;
    int status = 200;
    if (verifier == null) {
      verdict = headers.getFirst("webhook-signature") == null ? "none" : "not checked (no signing secret)";
    } else {
      Verification v = verifier.verify(request(exchange, headers, body, at));
      verdict = v.accepted() ? "valid" : "INVALID (" + v.message() + ")";
      status = v.accepted() ? 200 : 401;
    }
    StringBuilder text = new StringBuilder();
    text.append("--- ").append(at).append("  ").append(exchange.getRequestMethod()).append(' ')
        .append(exchange.getRequestURI()).append("  -> ").append(status).append('\n');
    for (String name : HEADERS_OF_INTEREST) {
      String value = headers.getFirst(name);
      if (value != null) {
        text.append("  ").append(name).append(": ").append(value).append('\n');
      }
    }
    headers.keySet().stream().filter(n -> n.toLowerCase(Locale.ROOT).startsWith(HOOKLINE_HEADER_PREFIX)).sorted()
        .forEach(n -> text.append("  ").append(n.toLowerCase(Locale.ROOT)).append(": ").append(headers.getFirst(n)).append('\n'));
    text.append("  signature: ").append(verdict).append('\n');
    text.append(printable(body)).append('\n');
    out.print(text);
    out.flush();
    byte[] answer = (status == 200 ? "{\"received\":true}" : "{\"error\":\"signature does not match\"}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
  }

  /** The body as text when it is UTF-8 (cut at 64 KiB), else its size. */
  static String printable(byte[] body) {
    if (body.length == 0) {
      return "  (empty body)";
    }
    int shown = Math.min(body.length, MAX_PRINTED_BODY);
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body, 0, shown)).toString();
      return "  " + text.replace("\n", "\n  ") + (shown < body.length ? "\n  ... (" + (body.length - shown) + " more bytes)" : "");
    } catch (CharacterCodingException e) {
      return "  (" + body.length + " bytes, not UTF-8 text)";
    }
  }

  private static WebhookRequest request(HttpExchange exchange, Headers headers, byte[] body, Instant at) {
    return new WebhookRequest() {
      @Override
      public String header(String name) {
        return headers.getFirst(name);
      }

      @Override
      public List<String> headers(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
      }

      @Override
      public byte[] body() {
        return body;
      }

      @Override
      public long receivedAtMillis() {
        return at.toEpochMilli();
      }

      @Override
      public String publicUrl() {
        return "http://" + exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort()
            + exchange.getRequestURI();
      }
    };
  }
}
