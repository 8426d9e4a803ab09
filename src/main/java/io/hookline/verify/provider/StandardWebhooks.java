package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.config.StandardWebhooksSecret;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.SigningKeys;
import io.hookline.verify.StandardWebhooksSignatureVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standard Webhooks (standardwebhooks.com): {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature: v1,<base64>} over {@code id.ts.body}. {@link #named} declares the
 * senders built on it (Svix and the services that send through Svix: Clerk, Resend), which send
 * the {@code svix-*} spelling of the same headers.
 */
public final class StandardWebhooks {
  /** A source secret that is an Ed25519 public key ({@code v1a}). */
  static final String PUBLIC_KEY_PREFIX = "whpk_";
  public static final Provider PROVIDER = named("standard", "https://www.standardwebhooks.com/", "`webhook-*`", "webhook")
      .scheme("`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64> v1a,<b64> …` over `id.ts.body`;"
          + " `svix-*` headers too; tolerance both ways")
      .secret("`whsec_<base64>` (HMAC, `v1`) or `whpk_<base64>` (Ed25519 public key, `v1a`)")
      .note("`send` signs `v1` with a `whsec_` secret, and `v1a` for a `whpk_` source with the sender's secret key:"
          + " `hookline send --private-key FILE` (`whsk_<base64>`, PKCS#8 PEM or 64-hex seed)")
      .build();

  private StandardWebhooks() {}

  /** A Standard Webhooks sender whose {@code send} uses {@code <headerPrefix>-id/-timestamp/-signature}. */
  static Provider.Builder named(String name, String docs, String idHeaderShown, String headerPrefix) {
    return Provider.named(name)
        .docs(docs)
        .scheme("Standard Webhooks: `" + headerPrefix + "-signature: v1,<base64>` HMAC-SHA256 over `id.ts.body`"
            + " (`svix-*` or `webhook-*` headers); tolerance both ways")
        .secret("signing secret `whsec_<base64>`")
        .eventId(idHeaderShown.equals("`webhook-*`") ? "`webhook-id` (or `svix-id`)" : "`svix-id` (or `webhook-id`)")
        .eventType("body `type`")
        .sampleKeys(random -> {
          byte[] key = new byte[24];
          random.nextBytes(key);
          return new Provider.SampleKeys(StandardWebhooksSecret.PREFIX + base64(key), null);
        })
        .verifier(StandardWebhooksSignatureVerifier::create)
        .signer(in -> {
          String ts = Long.toString(in.nowSeconds());
          byte[] signed = utf8(in.eventId() + "." + ts + ".");
          String signature;
          if (in.secret().startsWith(StandardWebhooksSecret.PREFIX)) {
            signature = "v1," + base64(hmac("HmacSHA256", StandardWebhooksSecret.decode(in.secret()), signed, in.body()));
          } else if (in.secret().startsWith(PUBLIC_KEY_PREFIX)) {
            // v1a: the source holds the public key; the sender's secret key comes with --private-key.
            signature = "v1a," + base64(SigningKeys.sign("Ed25519", SigningKeys.ed25519(in.privateKey(), name), signed, in.body()));
          } else {
            throw new IllegalArgumentException("send signs " + name + " events with a 'whsec_' secret (v1) or, for a 'whpk_'"
                + " public key, with --private-key (v1a)");
          }
          Map<String, String> h = new LinkedHashMap<>();
          h.put(headerPrefix + "-id", in.eventId());
          h.put(headerPrefix + "-timestamp", ts);
          h.put(headerPrefix + "-signature", signature);
          return SignedEvent.json(h, in.body());
        });
  }
}
