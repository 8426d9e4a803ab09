package io.hookline.requests;

/**
 * The local event-bus address where a node's ingest verticles take a stored request to verify again
 * and ingest (the admin API sends, ingest answers). Message: {@code source}, {@code receivedAt}
 * (epoch ms of the original arrival), {@code publicUrl}, {@code contentType}, {@code headers}
 * ({@code [[name, value], ...]}), {@code bodyBase64}, {@code credentialFingerprints} (the stored
 * {@link CredentialFingerprints} JSON of its masked credential values, or null; local only, never logged). Reply: {@code {"id","duplicate"}}; failure codes
 * below with the machine-readable reason as the message.
 */
public final class RetryAddress {
  public static final String ADDRESS = "hookline.requests.retry";
  /** Verification refused it again (or it is a handshake, nothing to ingest). */
  public static final int REFUSED = 422;
  public static final int UNKNOWN_SOURCE = 404;
  public static final int UNAVAILABLE = 503;

  private RetryAddress() {}
}
