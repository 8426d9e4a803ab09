package io.hookline.ingest;

import io.hookline.verify.WebhookRequest;
import io.vertx.core.MultiMap;
import java.util.List;

/** Adapts a Vert.x request to the verifiers' plain-Java view. */
final class VertxWebhookRequest implements WebhookRequest {
  private final MultiMap headers;
  private final byte[] body;
  private final long receivedAtMillis;
  private final String publicUrl;

  VertxWebhookRequest(MultiMap headers, byte[] body, long receivedAtMillis, String publicUrl) {
    this.headers = headers;
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
