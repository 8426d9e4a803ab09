package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.Map;

/** Dropbox: {@code X-Dropbox-Signature} hex HMAC-SHA256 of the body; GET challenge echoed. */
public final class Dropbox {
  public static final Provider PROVIDER = Provider.named("dropbox")
      .docs("https://www.dropbox.com/developers/reference/webhooks")
      .scheme("`X-Dropbox-Signature`: hex HMAC-SHA256 of the body")
      .secret("app secret")
      .eventId("SHA-256 of the body")
      .eventType("`dropbox.notification`")
      .handshake("`GET ?challenge=…` echoed as text/plain with `X-Content-Type-Options: nosniff`")
      .sampleBody((id, now) -> utf8("{\"list_folder\":{\"accounts\":[" + Bodies.quoted(id) + "]}}"))
      .verifier(SchemeFactories::dropbox)
      .signer(in -> SignedEvent.json(Map.of("X-Dropbox-Signature", hex(hmacSha256(in.secret(), in.body()))), in.body()))
      .build();

  private Dropbox() {}
}
