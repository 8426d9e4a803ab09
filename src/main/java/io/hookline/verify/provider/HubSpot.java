package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** HubSpot signature v3: base64 HMAC-SHA256 of method + URI + body + timestamp. */
public final class HubSpot {
  public static final Provider PROVIDER = Provider.named("hubspot")
      .docs("https://developers.hubspot.com/docs/api/webhooks/validating-requests")
      .scheme("`X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of `POST` + URI + body + `X-HubSpot-Request-Timestamp` (ms); 5 min")
      .secret("app client secret")
      .eventId("body `[0].eventId`")
      .eventType("body `[0].subscriptionType`")
      .note("signs the public URL: set `http.trustedProxies` behind a load balancer")
      .sampleBody((id, now) -> utf8("[{\"eventId\":" + Bodies.quoted(id) + ",\"subscriptionType\":\"contact.creation\",\"occurredAt\":"
          + now * 1000 + "}]"))
      .verifier(SchemeFactories::hubspot)
      .signer(in -> {
        if (in.url() == null) {
          throw new IllegalArgumentException("hubspot signs the URL the event is posted to; none was given");
        }
        String ts = Long.toString(in.nowSeconds() * 1000);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-HubSpot-Request-Timestamp", ts);
        h.put("X-HubSpot-Signature-v3", base64(hmacSha256(in.secret(), utf8("POST" + in.url()), in.body(), utf8(ts))));
        return SignedEvent.json(h, in.body());
      })
      .build();

  private HubSpot() {}
}
