package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Linear: {@code Linear-Signature}, hex HMAC-SHA256 of the body; the body's {@code webhookTimestamp} (ms) is the replay guard. */
import java.time.Duration;

public final class Linear {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("Linear-Signature")
      .bodyTimestampMillis("/webhookTimestamp")
      .events(EventField.header("Linear-Delivery"), EventField.header("Linear-Event"));

  public static final Provider PROVIDER = Declared.hmac("linear", SCHEME)
      .docs("https://linear.app/developers/webhooks#securing-webhooks")
      .scheme("`Linear-Signature`: hex HMAC-SHA256 of the body; body `webhookTimestamp` (ms) within tolerance")
      .secret("webhook signing secret")
      .defaultTolerance(Duration.ofSeconds(60))
      .note("replay window 60 s unless `toleranceSeconds` is set (Linear's suggestion)")
      .sampleBody((id, now) -> Bodies.json("{\"action\":\"create\",\"type\":\"Issue\",\"webhookTimestamp\":" + now * 1000
          + ",\"webhookId\":" + Bodies.quoted(id) + ",\"data\":{\"title\":\"hello from hookline send\"}}"))
      .signer(in -> Declared.json(in.body(), "Linear-Signature", hex(hmacSha256(in.secret(), in.body())),
          "Linear-Delivery", in.eventId(), "Linear-Event", "Issue"))
      .build();

  private Linear() {}
}
