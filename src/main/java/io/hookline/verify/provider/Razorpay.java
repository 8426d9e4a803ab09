package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Razorpay: {@code X-Razorpay-Signature}, hex HMAC-SHA256 of the body. */
public final class Razorpay {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-Razorpay-Signature")
      .events(EventField.header("X-Razorpay-Event-Id"), EventField.body("/event"));

  public static final Provider PROVIDER = Declared.hmac("razorpay", SCHEME)
      .docs("https://razorpay.com/docs/webhooks/validate-test/")
      .scheme("`X-Razorpay-Signature`: hex HMAC-SHA256 of the body")
      .secret("webhook secret")
      .sampleBody((id, now) -> Bodies.json("{\"entity\":\"event\",\"event\":\"payment.captured\",\"created_at\":" + now
          + ",\"payload\":{}}"))
      .signer(in -> Declared.json(in.body(), "X-Razorpay-Signature", hex(hmacSha256(in.secret(), in.body())),
          "X-Razorpay-Event-Id", in.eventId()))
      .build();

  private Razorpay() {}
}
