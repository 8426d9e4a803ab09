package io.hookline.verify;

import java.util.List;

/**
 * One header that a verifier relies on, read under the rules every scheme shares: it may appear
 * at most once (two copies make it ambiguous which one was signed), must be printable ASCII and
 * at most {@link #MAX_VALUE_CHARS} long. Absence is not a problem here: each scheme decides what a
 * missing header means.
 *
 * @param value the single value, or null when the header is absent or unusable
 * @param problem the rejection to return, or null when the header is usable (or absent)
 */
public record HeaderRead(String value, Verification problem) {
  public static final int MAX_VALUE_CHARS = 8192;

  private static final HeaderRead ABSENT = new HeaderRead(null, null);

  public static HeaderRead of(WebhookRequest request, String name) {
    return read(request, name, Reason.MALFORMED_SIGNATURE);
  }

  /**
   * A header carrying the provider's event id: as {@link #of}, but an unusable value (control
   * characters, non-ASCII, repeated, oversize) is {@link Reason#MALFORMED_EVENT_ID} (SPEC, "Event ids
   * as keys"), not a signature problem.
   */
  public static HeaderRead eventId(WebhookRequest request, String name) {
    return read(request, name, Reason.MALFORMED_EVENT_ID);
  }

  private static HeaderRead read(WebhookRequest request, String name, Reason reason) {
    List<String> values = request.headers(name);
    if (values == null || values.isEmpty()) {
      return ABSENT;
    }
    if (values.size() > 1) {
      return problem(reason, name + " header appears " + values.size() + " times; it must appear exactly once");
    }
    String value = values.get(0);
    if (value == null) {
      return ABSENT;
    }
    if (value.length() > MAX_VALUE_CHARS) {
      return problem(reason, name + " header is longer than " + MAX_VALUE_CHARS + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return problem(reason, name + " header contains non-ASCII or control characters");
      }
    }
    return new HeaderRead(value, null);
  }

  /**
   * The signature header every scheme starts with: {@code missing} when absent, else as {@link #of}.
   * The prologue each verifier shares: {@code if (h.problem() != null) return h.problem();}.
   */
  public static HeaderRead required(WebhookRequest request, String name, Verification missing) {
    HeaderRead read = of(request, name);
    return read.absent() ? new HeaderRead(null, missing) : read;
  }

  public boolean absent() {
    return value == null && problem == null;
  }

  /** Where the value starts after leading spaces and tabs. */
  public int from() {
    return Text.skipSpaces(value, 0, value.length());
  }

  /** Where the value ends before trailing spaces and tabs. */
  public int to() {
    return Text.trimSpaces(value, from(), value.length());
  }

  private static HeaderRead problem(Reason reason, String message) {
    return new HeaderRead(null, Verification.rejected(reason, message));
  }
}
