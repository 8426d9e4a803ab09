package io.hookline.verify;

import java.util.Map;

/**
 * A signed test event as the provider would send it: headers to add, the body (a scheme may
 * change it, e.g. to carry a signed timestamp), its content type and the URL to post to
 * (a scheme may add query parameters; null = the URL given).
 */
public record SignedEvent(Map<String, String> headers, byte[] body, String contentType, String url) {
  /** JSON body unchanged, posted to the given URL. */
  public static SignedEvent json(Map<String, String> headers, byte[] body) {
    return new SignedEvent(headers, body, "application/json", null);
  }
}
