package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.EventFields;
import io.hookline.verify.Provider;
import io.hookline.verify.TimestampedScheme;

/** Calendly: {@code Calendly-Webhook-Signature: t=…,v1=<hex>} over {@code t.body}; no event id (body SHA-256). */
import java.time.Duration;

public final class Calendly {
  static final TimestampedScheme.Layout LAYOUT = TimestampedScheme.Layout.stripeStyle("Calendly-Webhook-Signature");
  static final EventFields EVENTS = EventFields.of(EventField.bodySha256(), EventField.body("/event"));

  public static final Provider PROVIDER = Declared.timestamped("calendly", LAYOUT, EVENTS)
      .docs("https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures")
      .scheme("`Calendly-Webhook-Signature: t=…,v1=<hex>` HMAC-SHA256 of `t.body`; tolerance")
      .secret("webhook signing key")
      .defaultTolerance(Duration.ofMinutes(3))
      .note("replay window 3 min unless `toleranceSeconds` is set (Calendly's example)")
      .sampleBody((id, now) -> Bodies.json("{\"event\":\"invitee.created\",\"created_at\":\"" + java.time.Instant.ofEpochSecond(now)
          + "\",\"payload\":{\"uri\":" + Bodies.quoted("https://api.calendly.com/invitees/" + id) + "}}"))
      .signer(in -> {
        String t = Long.toString(in.nowSeconds());
        return Declared.json(in.body(), "Calendly-Webhook-Signature",
            "t=" + t + ",v1=" + hex(hmacSha256(in.secret(), utf8(t + "."), in.body())));
      })
      .build();

  private Calendly() {}
}
