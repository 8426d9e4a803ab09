package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.config.StandardWebhooksSecret;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
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
  public static final Provider PROVIDER = named("standard", "https://www.standardwebhooks.com/", "`webhook-*`", "webhook")
      .scheme("`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64> v1a,<b64> …` over `id.ts.body`;"
          + " `svix-*` headers too; tolerance both ways")
      .secret("`whsec_<base64>` (HMAC, `v1`) or `whpk_<base64>` (Ed25519 public key, `v1a`)")
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
          if (!in.secret().startsWith(StandardWebhooksSecret.PREFIX)) {
            throw new IllegalArgumentException("send signs " + name + " events only with a 'whsec_' secret"
                + " (a 'whpk_' public key verifies but cannot sign)");
          }
          byte[] key = StandardWebhooksSecret.decode(in.secret());
          String ts = Long.toString(in.nowSeconds());
          Map<String, String> h = new LinkedHashMap<>();
          h.put(headerPrefix + "-id", in.eventId());
          h.put(headerPrefix + "-timestamp", ts);
          h.put(headerPrefix + "-signature", "v1," + base64(hmac("HmacSHA256", key, utf8(in.eventId() + "." + ts + "."), in.body())));
          return SignedEvent.json(h, in.body());
        });
  }
}
