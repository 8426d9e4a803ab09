package io.hookline.verify;

/**
 * Outcome of verifying one request: accepted (with the provider's event id and type when known),
 * rejected (with a {@link Reason} and a human message that never contains secrets), or a
 * provider handshake that must be answered directly and not stored.
 */
public final class Verification {
  public enum Kind { ACCEPTED, REJECTED, HANDSHAKE }

  private final Kind kind;
  private final String eventId;
  private final String eventType;
  private final Reason reason;
  private final String message;
  private final byte[] handshakeBody;
  private final String handshakeContentType;

  private Verification(Kind kind, String eventId, String eventType, Reason reason, String message,
                       byte[] handshakeBody, String handshakeContentType) {
    this.kind = kind;
    this.eventId = eventId;
    this.eventType = eventType;
    this.reason = reason;
    this.message = message;
    this.handshakeBody = handshakeBody;
    this.handshakeContentType = handshakeContentType;
  }

  /** eventId may be null: the pipeline then uses the SHA-256 of the body. */
  public static Verification accepted(String eventId, String eventType) {
    return new Verification(Kind.ACCEPTED, eventId, eventType, null, null, null, null);
  }

  public static Verification rejected(Reason reason, String message) {
    return new Verification(Kind.REJECTED, null, null, reason, message, null, null);
  }

  public static Verification handshake(byte[] body, String contentType) {
    return new Verification(Kind.HANDSHAKE, null, null, null, null, body, contentType);
  }

  public Kind kind() { return kind; }
  public boolean accepted() { return kind == Kind.ACCEPTED; }
  public String eventId() { return eventId; }
  public String eventType() { return eventType; }
  public Reason reason() { return reason; }
  public String message() { return message; }
  public byte[] handshakeBody() { return handshakeBody; }
  public String handshakeContentType() { return handshakeContentType; }

  @Override
  public String toString() {
    return switch (kind) {
      case ACCEPTED -> "accepted(" + eventId + ")";
      case REJECTED -> "rejected(" + reason.code() + ": " + message + ")";
      case HANDSHAKE -> "handshake";
    };
  }
}
