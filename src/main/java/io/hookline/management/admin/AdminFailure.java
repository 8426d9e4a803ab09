package io.hookline.management.admin;

/** An admin API answer other than success; rendered by {@link AdminErrors}. No stack trace: it is an answer. */
final class AdminFailure extends RuntimeException {
  final int status;
  final String reason;
  /** The offending query parameter or body field, or null. */
  final String parameter;

  private AdminFailure(int status, String reason, String parameter, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.parameter = parameter;
  }

  static AdminFailure badParameter(String parameter, String message) {
    return new AdminFailure(400, "bad_parameter", parameter, message);
  }

  /** Any other answer: its status, machine-readable reason and sentence. */
  static AdminFailure of(int status, String reason, String message) {
    return new AdminFailure(status, reason, null, message);
  }

  static AdminFailure notFound(String message) {
    return new AdminFailure(404, "not_found", null, message);
  }

  static AdminFailure unauthorized() {
    return new AdminFailure(401, "unauthorized",  null,
        "missing or wrong token: send Authorization: Bearer <management.adminToken or management.readToken>");
  }

  static AdminFailure forbidden() {
    return new AdminFailure(403, "forbidden", null,
        "the read-only token may only read (GET); this call needs management.adminToken");
  }
}
