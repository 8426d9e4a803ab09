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

/** Paddle Billing: {@code Paddle-Signature: ts=…;h1=<hex>} over {@code ts:body}. */
public final class Paddle {
  static final TimestampedScheme.Layout LAYOUT = new TimestampedScheme.Layout("Paddle-Signature", ';', "ts", "h1", ':');
  static final EventFields EVENTS = EventFields.of(EventField.body("/event_id"), EventField.body("/event_type"));

  public static final Provider PROVIDER = Declared.timestamped("paddle", LAYOUT, EVENTS)
      .docs("https://developer.paddle.com/webhooks/signature-verification")
      .scheme("`Paddle-Signature: ts=…;h1=<hex>` over `ts:body`; tolerance")
      .secret("notification secret key")
      .signer(in -> {
        String ts = Long.toString(in.nowSeconds());
        return SignedEvent.json(Map.of("Paddle-Signature",
            "ts=" + ts + ";h1=" + hex(hmacSha256(in.secret(), utf8(ts + ":"), in.body()))), in.body());
      })
      .build();

  private Paddle() {}
}
