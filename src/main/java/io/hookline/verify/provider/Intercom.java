package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Intercom: {@code X-Hub-Signature: sha1=<hex>}, HMAC-SHA1 of the body with the app's client secret. */
public final class Intercom {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha1().headers("X-Hub-Signature").prefix("sha1=")
      .events(EventField.body("/id"), EventField.body("/topic"));

  public static final Provider PROVIDER = Declared.hmac("intercom", SCHEME)
      .docs("https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications")
      .scheme("`X-Hub-Signature: sha1=<hex>` HMAC-SHA1 of the body")
      .secret("app client secret")
      .sampleBody((id, now) -> Bodies.json("{\"type\":\"notification_event\",\"id\":" + Bodies.quoted(id)
          + ",\"topic\":\"conversation.user.created\",\"created_at\":" + now + ",\"data\":{}}"))
      .signer(in -> Declared.json(in.body(), "X-Hub-Signature", "sha1=" + hex(hmac("HmacSHA1", utf8(in.secret()), in.body()))))
      .build();

  private Intercom() {}
}
