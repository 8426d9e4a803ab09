package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Typeform: {@code Typeform-Signature: sha256=<base64>} of the body. */
public final class Typeform {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("Typeform-Signature").prefix("sha256=").base64()
      .events(EventField.body("/event_id"), EventField.body("/event_type"));

  public static final Provider PROVIDER = Declared.hmac("typeform", SCHEME)
      .docs("https://www.typeform.com/developers/webhooks/secure-your-webhooks/")
      .scheme("`Typeform-Signature: sha256=<base64>` HMAC-SHA256 of the body")
      .secret("webhook secret")
      .sampleBody((id, now) -> Bodies.json("{\"event_id\":" + Bodies.quoted(id)
          + ",\"event_type\":\"form_response\",\"form_response\":{\"form_id\":\"hookline\"}}"))
      .signer(in -> Declared.json(in.body(), "Typeform-Signature", "sha256=" + base64(hmacSha256(in.secret(), in.body()))))
      .build();

  private Typeform() {}
}
