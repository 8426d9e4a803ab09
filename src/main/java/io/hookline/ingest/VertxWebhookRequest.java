package io.hookline.ingest;

import io.hookline.verify.WebhookRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** Adapts a Vert.x request to the verifiers' plain-Java view. */
final class VertxWebhookRequest implements WebhookRequest {
  private final HttpServerRequest request;
  private final MultiMap headers;
  private final byte[] body;
  private final long receivedAtMillis;
  private final PublicUrl publicUrls;
  private String publicUrl;

  VertxWebhookRequest(HttpServerRequest request, byte[] body, long receivedAtMillis, PublicUrl publicUrls) {
    this.request = request;
    this.headers = request.headers();
    this.body = body;
    this.receivedAtMillis = receivedAtMillis;
    this.publicUrls = publicUrls;
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
  public String method() {
    return request.method().name();
  }

  /** Built on first use: only URL-signing schemes (Twilio) and handshakes need it. */
  @Override
  public String publicUrl() {
    if (publicUrl == null) {
      publicUrl = publicUrls.of(request);
    }
    return publicUrl;
  }
}
