package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Vercel: {@code x-vercel-signature}, hex HMAC-SHA1 of the body. */
public final class Vercel {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha1().headers("x-vercel-signature")
      .events(EventField.body("/id"), EventField.body("/type"));

  public static final Provider PROVIDER = Declared.hmac("vercel", SCHEME)
      .docs("https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks")
      .scheme("`x-vercel-signature`: hex HMAC-SHA1 of the body")
      .secret("webhook secret (integration: client secret)")
      .sampleBody((id, now) -> Bodies.json("{\"id\":" + Bodies.quoted(id) + ",\"type\":\"deployment.created\",\"createdAt\":"
          + now * 1000 + ",\"payload\":{}}"))
      .signer(in -> Declared.json(in.body(), "x-vercel-signature", hex(hmac("HmacSHA1", utf8(in.secret()), in.body()))))
      .build();

  private Vercel() {}
}
