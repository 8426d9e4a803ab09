package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Square: base64 HMAC-SHA256 of notification URL + body. */
public final class Square {
  public static final Provider PROVIDER = Provider.named("square")
      .docs("https://developer.squareup.com/docs/webhooks/step3validate")
      .scheme("`x-square-hmacsha256-signature`: base64 HMAC-SHA256 of the notification URL + body")
      .secret("subscription signature key")
      .eventId("body `event_id`")
      .eventType("body `type`")
      .note("option `notificationUrl` (the URL registered with Square), else the URL the request arrived at")
      .sampleBody((id, now) -> utf8("{\"merchant_id\":\"M1\",\"type\":\"payment.created\",\"event_id\":" + Bodies.quoted(id)
          + ",\"data\":{\"type\":\"payment\"}}"))
      .verifier(SchemeFactories::square)
      .signer(in -> {
        String url = in.option("notificationUrl", in.url());
        if (url == null) {
          throw new IllegalArgumentException("square signs the notification URL; none was given");
        }
        return SignedEvent.json(Map.of("x-square-hmacsha256-signature", base64(hmacSha256(in.secret(), utf8(url), in.body()))), in.body());
      })
      .build();

  private Square() {}
}
