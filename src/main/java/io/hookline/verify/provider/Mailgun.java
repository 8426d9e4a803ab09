package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Mailgun: body {@code signature} object, hex HMAC-SHA256 of timestamp + token. */
public final class Mailgun {
  public static final Provider PROVIDER = Provider.named("mailgun")
      .docs("https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks")
      .scheme("body `signature.{timestamp,token,signature}`: hex HMAC-SHA256 of timestamp + token; tolerance")
      .secret("HTTP webhook signing key")
      .eventId("body `signature.token`")
      .eventType("body `event-data.event`")
      .note("the signature does not cover `event-data` (Mailgun's design); the token is the dedup key")
      .verifier(SchemeFactories::mailgun)
      .signer(in -> {
        String ts = Long.toString(in.nowSeconds());
        String signature = hex(hmacSha256(in.secret(), utf8(ts + in.eventId())));
        return SignedEvent.json(Map.of(), utf8("{\"signature\":{\"timestamp\":\"" + ts + "\",\"token\":" + Bodies.quoted(in.eventId())
            + ",\"signature\":\"" + signature + "\"},\"event-data\":{\"event\":\"delivered\"}}"));
      })
      .build();

  private Mailgun() {}
}
