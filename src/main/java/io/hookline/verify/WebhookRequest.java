package io.hookline.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verifier sees of an incoming request: plain Java, no Vert.x types, so verifiers stay
 * pure functions that unit tests and benchmarks can call directly.
 */
public interface WebhookRequest {
  /** First value of a header, case-insensitive; null when absent. */
  String header(String name);

  /** All values of a header in arrival order (empty when absent). */
  List<String> headers(String name);

  /** The raw body bytes exactly as received (empty for a GET). Never modify. */
  byte[] body();

  /** When the request arrived, epoch milliseconds (verifiers never read the clock themselves). */
  long receivedAtMillis();

  /** The public URL the sender signed (scheme://host[:port]/path?query), for URL-signing schemes. */
  String publicUrl();

  /** The HTTP method, upper case: {@code POST} for events, {@code GET} for {@link SignatureVerifier#answerGet}. */
  default String method() {
    return "POST";
  }

  /**
   * Every value of a URL query parameter, decoded, in order (empty when absent, or when the query
   * is not valid URL encoding). Handshakes read their challenge and token here.
   */
  default List<String> queryParams(String name) {
    String url = publicUrl();
    List<FormEncoding.Param> params = url == null ? null : FormEncoding.parse(FormEncoding.query(url));
    if (params == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(1);
    for (FormEncoding.Param p : params) {
      if (p.name().equals(name)) {
        values.add(p.value());
      }
    }
    return values;
  }
}
