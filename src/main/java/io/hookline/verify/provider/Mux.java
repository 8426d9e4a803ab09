package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.EventFields;
import io.hookline.verify.Provider;
import io.hookline.verify.TimestampedScheme;

/** Mux: {@code Mux-Signature: t=…,v1=<hex>} over {@code t.body}. */
public final class Mux {
  static final TimestampedScheme.Layout LAYOUT = TimestampedScheme.Layout.stripeStyle("Mux-Signature");
  static final EventFields EVENTS = EventFields.of(EventField.body("/id"), EventField.body("/type"));

  public static final Provider PROVIDER = Declared.timestamped("mux", LAYOUT, EVENTS)
      .docs("https://www.mux.com/docs/core/verify-webhook-signatures")
      .scheme("`Mux-Signature: t=…,v1=<hex>` HMAC-SHA256 of `t.body`; tolerance")
      .secret("webhook signing secret")
      .sampleBody((id, now) -> Bodies.json("{\"type\":\"video.asset.ready\",\"id\":" + Bodies.quoted(id)
          + ",\"data\":{\"status\":\"ready\"}}"))
      .signer(in -> {
        String t = Long.toString(in.nowSeconds());
        return Declared.json(in.body(), "Mux-Signature", "t=" + t + ",v1=" + hex(hmacSha256(in.secret(), utf8(t + "."), in.body())));
      })
      .build();

  private Mux() {}
}
