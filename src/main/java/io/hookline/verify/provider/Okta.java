package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Okta event hooks: Authorization equals the secret; GET verification answered. */
public final class Okta {
  public static final Provider PROVIDER = Provider.named("okta")
      .docs("https://developer.okta.com/docs/concepts/event-hooks/")
      .scheme("`Authorization` header equals the secret")
      .secret("the hook's authorization header value")
      .eventId("body `eventId`")
      .eventType("body `eventType`")
      .handshake("`GET` with `x-okta-verification-challenge` (and the Authorization header) answered `{\"verification\":…}`")
      .sampleBody((id, now) -> utf8("{\"eventType\":\"com.okta.event_hook\",\"eventTypeVersion\":\"1.0\",\"eventId\":" + Bodies.quoted(id)
          + ",\"data\":{\"events\":[]}}"))
      .verifier(SchemeFactories::okta)
      .signer(in -> SignedEvent.json(Map.of("Authorization", in.secret()), in.body()))
      .build();

  private Okta() {}
}
