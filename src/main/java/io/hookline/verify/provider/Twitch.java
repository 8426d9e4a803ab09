package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.Map;

/** Twitch EventSub: HMAC-SHA256 of message id + timestamp + body; callback verification answered. */
public final class Twitch {
  public static final Provider PROVIDER = Provider.named("twitch")
      .docs("https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message")
      .defaultTolerance(Duration.ofMinutes(10))
      .scheme("`Twitch-Eventsub-Message-Signature: sha256=<hex>` of id + timestamp + body; 10 min")
      .secret("subscription secret")
      .eventId("`Twitch-Eventsub-Message-Id`")
      .eventType("`Twitch-Eventsub-Subscription-Type`")
      .handshake("`webhook_callback_verification` (signed) answered with its `challenge` as text/plain, not stored")
      .note("10-minute window when the source keeps the default tolerance")
      .sampleBody((id, now) -> utf8("{\"subscription\":{\"type\":\"channel.follow\",\"version\":\"2\"},\"event\":{\"user_id\":"
          + Bodies.quoted(id) + "}}"))
      .verifier(SchemeFactories::twitch)
      .signer(in -> {
        String ts = Instant.ofEpochSecond(in.nowSeconds()).toString();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Twitch-Eventsub-Message-Id", in.eventId());
        h.put("Twitch-Eventsub-Message-Timestamp", ts);
        h.put("Twitch-Eventsub-Message-Signature", "sha256=" + hex(hmacSha256(in.secret(), utf8(in.eventId() + ts), in.body())));
        h.put("Twitch-Eventsub-Message-Type", "notification");
        h.put("Twitch-Eventsub-Subscription-Type", "channel.follow");
        return SignedEvent.json(h, in.body());
      })
      .build();

  private Twitch() {}
}
