package io.hookline.ingest;

import io.hookline.verify.WebhookRequest;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** A request from the requests log as verifiers see it: its headers, body, arrival time and URL as stored. */
final class StoredWebhookRequest implements WebhookRequest {
  private final JsonArray headers;
  private final byte[] body;
  private final long receivedAtMillis;
  private final String publicUrl;

  StoredWebhookRequest(JsonArray headers, byte[] body, long receivedAtMillis, String publicUrl) {
    this.headers = headers;
    this.body = body;
    this.receivedAtMillis = receivedAtMillis;
    this.publicUrl = publicUrl;
  }

  @Override
  public String header(String name) {
    for (int i = 0; i < headers.size(); i++) {
      JsonArray pair = headers.getJsonArray(i);
      if (pair.getString(0).equalsIgnoreCase(name)) {
        return pair.getString(1);
      }
    }
    return null;
  }

  @Override
  public List<String> headers(String name) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      JsonArray pair = headers.getJsonArray(i);
      if (pair.getString(0).equalsIgnoreCase(name)) {
        out.add(pair.getString(1));
      }
    }
    return out;
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
