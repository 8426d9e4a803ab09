package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.EventFields;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.TimestampedScheme;
import java.util.Map;

/** Stripe: {@code Stripe-Signature: t=…,v1=<hex>} over {@code t.body}; several {@code v1} while a secret rolls. */
public final class Stripe {
  static final TimestampedScheme.Layout LAYOUT = TimestampedScheme.Layout.stripeStyle("Stripe-Signature");
  static final EventFields EVENTS = EventFields.of(EventField.body("/id"), EventField.body("/type"));

  public static final Provider PROVIDER = Declared.timestamped("stripe", LAYOUT, EVENTS)
      .docs("https://docs.stripe.com/webhooks#verify-manually")
      .scheme("`Stripe-Signature: t=…,v1=<hex>` HMAC-SHA256 over `t.body`; several `v1` allowed; tolerance")
      .secret("endpoint secret `whsec_…` (used as is)")
      .signer(in -> {
        String ts = Long.toString(in.nowSeconds());
        return SignedEvent.json(Map.of("Stripe-Signature",
            "t=" + ts + ",v1=" + hex(hmacSha256(in.secret(), utf8(ts + "."), in.body()))), in.body());
      })
      .build();

  private Stripe() {}
}
