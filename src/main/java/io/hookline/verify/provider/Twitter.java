package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** X (Twitter) Account Activity: base64 HMAC-SHA256 of the body; GET crc_token answered. */
public final class Twitter {
  public static final Provider PROVIDER = Provider.named("twitter")
      .docs("https://docs.x.com/x-api/webhooks/introduction")
      .scheme("`x-twitter-webhooks-signature: sha256=<base64>` HMAC-SHA256 of the body")
      .secret("consumer (API) secret")
      .eventId("SHA-256 of the body")
      .eventType("first top-level `*_events` key")
      .handshake("`GET ?crc_token=…` answered `{\"response_token\":\"sha256=<base64 HMAC of the token>\"}`")
      .sampleBody((id, now) -> utf8("{\"for_user_id\":\"1\",\"tweet_create_events\":[{\"id_str\":" + Bodies.quoted(id) + "}]}"))
      .verifier(SchemeFactories::twitter)
      .signer(in -> SignedEvent.json(Map.of("x-twitter-webhooks-signature", "sha256=" + base64(hmacSha256(in.secret(), in.body()))),
          in.body()))
      .build();

  private Twitter() {}
}
