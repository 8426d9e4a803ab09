package io.hookline.cli;

import io.hookline.verify.Provider;
import io.hookline.verify.provider.Providers;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/**
 * Signs a body the way each provider does, for the {@code send} command and tests: each
 * provider's {@link Provider#signer()} (the sender's side of the contract, written independently
 * of its verifier).
 */
public final class EventSigner {
  private EventSigner() {}

  /** Headers to send with {@code body} for a source of {@code provider} with {@code secret} (schemes that sign no URL). */
  public static Map<String, String> sign(String provider, String secret, byte[] body, String eventId, long nowSeconds) {
    return sign(provider, SendInput.of(secret, body, eventId, nowSeconds)).headers();
  }

  /** The whole signed request. @throws IllegalArgumentException naming the provider (never the secret) */
  public static SignedEvent sign(String provider, SendInput input) {
    Provider p = Providers.find(provider);
    if (p == null) {
      throw new IllegalArgumentException("unknown provider '" + provider + "'");
    }
    if (p.signer() == null) {
      throw new IllegalArgumentException("send does not sign for provider '" + p.name() + "'");
    }
    return p.signer().sign(input);
  }
}
