package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Zoom: {@code x-zm-signature: v0=<hex>} over {@code v0:ts:body}; url_validation answered. */
public final class Zoom {
  public static final Provider PROVIDER = Provider.named("zoom")
      .docs("https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events")
      .scheme("`x-zm-signature: v0=<hex>` HMAC-SHA256 of `v0:{x-zm-request-timestamp}:{body}`; tolerance")
      .secret("secret token")
      .eventId("SHA-256 of body `event` + `event_ts`")
      .eventType("body `event`")
      .handshake("`endpoint.url_validation` (signed) answered `{plainToken, encryptedToken}`, not stored")
      // Zoom's id is its event + event_ts (ms): the milliseconds come from the id, so two test events sent in one
      // second are two events, as two real ones are.
      .sampleBody((id, now) -> utf8("{\"event\":\"meeting.started\",\"event_ts\":" + (now * 1000 + Math.floorMod(id.hashCode(), 1000))
          + ",\"payload\":{\"hookline_id\":" + Bodies.quoted(id) + "}}"))
      .verifier(SchemeFactories::zoom)
      .signer(in -> {
        String ts = Long.toString(in.nowSeconds());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-zm-request-timestamp", ts);
        h.put("x-zm-signature", "v0=" + hex(hmacSha256(in.secret(), utf8("v0:" + ts + ":"), in.body())));
        return SignedEvent.json(h, in.body());
      })
      .build();

  private Zoom() {}
}
