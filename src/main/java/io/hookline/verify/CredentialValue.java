package io.hookline.verify;

/**
 * A header value that carries one of a source's current secrets itself, exactly as its sender builds
 * it (an API key after its prefix, {@code Basic base64(user:password)}): what a refused request's
 * masked header is compared with, through its stored fingerprint, when it is retried. Never printed.
 */
public record CredentialValue(String header, String value) {
  @Override
  public String toString() {
    return "CredentialValue(" + header + ": ***)";
  }
}
