package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The verifier's real input type, backed by a case-insensitive multimap of headers. */
final class TestRequest implements WebhookRequest {
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private long receivedAtMillis;
  private String publicUrl = "https://hooks.example.com/webhooks/test";

  static TestRequest at(long receivedAtMillis) {
    TestRequest request = new TestRequest();
    request.receivedAtMillis = receivedAtMillis;
    return request;
  }

  TestRequest header(String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
  }

  /** Replaces every value of the header (null removes it). */
  TestRequest setHeader(String name, String value) {
    headers.remove(name.toLowerCase(Locale.ROOT));
    return value == null ? this : header(name, value);
  }

  TestRequest body(byte[] body) {
    this.body = body;
    return this;
  }

  TestRequest body(String body) {
    return body(body.getBytes(StandardCharsets.UTF_8));
  }

  TestRequest url(String publicUrl) {
    this.publicUrl = publicUrl;
    return this;
  }

  TestRequest receivedAt(long millis) {
    this.receivedAtMillis = millis;
    return this;
  }

  TestRequest copy() {
    TestRequest copy = at(receivedAtMillis).body(body.clone()).url(publicUrl);
    headers.forEach((k, v) -> copy.headers.put(k, new ArrayList<>(v)));
    return copy;
  }

  @Override
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public List<String> headers(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null ? List.of() : List.copyOf(values);
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

  @Override
  public String toString() {
    return "TestRequest" + headers + " body=" + new String(body, StandardCharsets.UTF_8);
  }
}
