package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Meta (Facebook, Instagram, WhatsApp): {@code X-Hub-Signature-256}; GET hub.challenge with verifyToken. */
public final class Meta {
  public static final Provider PROVIDER = Provider.named("meta")
      .docs("https://developers.facebook.com/docs/graph-api/webhooks/getting-started")
      .scheme("`X-Hub-Signature-256: sha256=<hex>` HMAC-SHA256 of the body")
      .secret("app secret")
      .eventId("SHA-256 of the body")
      .eventType("body `object`")
      .handshake("`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` echoes the challenge when the token equals `verifyToken`")
      .note("option `verifyToken` (without it every GET is refused)")
      .sampleBody((id, now) -> utf8("{\"object\":\"page\",\"entry\":[{\"id\":" + Bodies.quoted(id) + ",\"time\":" + now + "}]}"))
      .verifier(SchemeFactories::meta)
      .signer(in -> SignedEvent.json(Map.of("X-Hub-Signature-256", "sha256=" + hex(hmacSha256(in.secret(), in.body()))), in.body()))
      .build();

  private Meta() {}
}
