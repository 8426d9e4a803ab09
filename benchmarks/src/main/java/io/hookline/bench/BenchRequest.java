package io.hookline.bench;

import io.hookline.verify.WebhookRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * The verifiers' input built like the server builds it: headers in Vert.x's HTTP header multimap
 * (the type a Vert.x server request carries, with its case-insensitive lookups), the body bytes,
 * a receive time and the public URL. Mirrors the app's adapter of a real request.
 */
public final class BenchRequest implements WebhookRequest {
  private final MultiMap headers;
  private final byte[] body;
  private final long receivedAtMillis;
  private final String publicUrl;

  public BenchRequest(Map<String, String> signatureHeaders, String contentType, byte[] body, long receivedAtMillis,
                      String publicUrl) {
    MultiMap h = HttpHeaders.headers();
    // What a provider's request typically carries besides its signature headers.
    h.add("Host", "hooks.example.com");
    h.add("User-Agent", "Provider-Webhooks/1.0 (+https://example.com/webhooks)");
    h.add("Accept", "*/*; q=0.5, application/json");
    h.add("Content-Type", contentType);
    h.add("Content-Length", Integer.toString(body.length));
    h.add("X-Forwarded-For", "203.0.113.7");
    h.add("X-Forwarded-Proto", "https");
    h.add("Accept-Encoding", "gzip");
    signatureHeaders.forEach(h::add);
    this.headers = h;
    this.body = body;
    this.receivedAtMillis = receivedAtMillis;
    this.publicUrl = publicUrl;
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public List<String> headers(String name) {
    return headers.getAll(name);
  }

  @Override
  public byte[] body() {
    return body;
  }

  @Override
  public long receivedAtMillis() {
    return receivedAtMillis;
  }

  @Override
  public String publicUrl() {
    return publicUrl;
  }
}
