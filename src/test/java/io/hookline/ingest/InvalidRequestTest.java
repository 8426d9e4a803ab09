package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.cli.EventSigner;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP parser refuses (header section too large, too many headers, request line too
 * long, bytes no HTTP allows) and paths that cannot be decoded get the same JSON error as every
 * other refusal, are counted, and cost no other request its answer.
 */
class InvalidRequestTest {
  static final String SECRET = "gh-invalid-request-secret";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = IngestFixture.startWithGitHubSource(SECRET);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void headersTooLarge() throws Exception {
    assertRefused(post("/webhooks/gh", "X-Big: " + "a".repeat(20_000) + "\r\n"), 431, "headers_too_large");
  }

  @Test
  void tooManyHeaders() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertRefused(post("/webhooks/gh", many.toString()), 431, "headers_too_large");
  }

  @Test
  void requestLineTooLong() throws Exception {
    assertRefused(post("/webhooks/" + "a".repeat(10_000), ""), 414, "uri_too_long");
  }

  @Test
  void controlCharacterInAHeaderValue() throws Exception {
    assertRefused(post("/webhooks/gh", "X-Note: a\u0000b\r\n"), 400, "bad_request");
  }

  @Test
  void malformedContentLength() throws Exception {
    assertRefused(send("POST /webhooks/gh HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"), 400, "bad_request");
  }

  @Test
  void headerLineWithoutAColon() throws Exception {
    assertRefused(post("/webhooks/gh", "NotAHeader\r\n"), 400, "bad_request");
  }

  @Test
  void undecodablePath() throws Exception {
    assertRefused(post("/webhooks/%zz", ""), 400, "bad_request");
  }

  @Test
  void refusalsAreCountedAndTheNodeCarriesOn() throws Exception {
    double before = badRequests();
    assertRefused(post("/webhooks/gh", "X-Big: " + "a".repeat(20_000) + "\r\n"), 431, "headers_too_large");
    assertRefused(post("/webhooks/gh", "X-Note: a\u0000b\r\n"), 400, "bad_request");
    assertThat(badRequests() - before).isEqualTo(2);
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> ok = node.post("gh", body, EventSigner.sign("github", SECRET, body, "after-" + System.nanoTime(), 0));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  static double badRequests() {
    return IngestFixture.requests(node, "_unknown", "bad_request");
  }

  static void assertRefused(String response, int status, String reason) {
    int headEnd = response.indexOf("\r\n\r\n");
    assertThat(headEnd).as(response).isPositive();
    String head = response.substring(0, headEnd);
    assertThat(head).as(head).matches("(?s)HTTP/1\\.[01] " + status + " .*");
    assertThat(head.toLowerCase()).contains("content-type: application/json");
    JsonObject body = new JsonObject(response.substring(headEnd + 4));
    assertThat(body.getString("reason")).isEqualTo(reason);
    assertThat(body.getString("error")).isNotBlank();
  }

  static String post(String path, String extraHeaders) throws Exception {
    return send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
        + "Content-Length: 2\r\n\r\n{}");
  }

  /** Sends raw bytes (ISO-8859-1) and reads until the server closes the connection. */
  static String send(String raw) throws Exception {
    try (Socket socket = IngestFixture.connect(node)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      in.transferTo(got);
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
