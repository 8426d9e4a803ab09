package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Bitbucket Cloud: {@code X-Hub-Signature: sha256=<hex>} of the body. */
public final class Bitbucket {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-Hub-Signature").prefix("sha256=")
      .events(EventField.header("X-Request-UUID"), EventField.header("X-Event-Key"));

  public static final Provider PROVIDER = Declared.hmac("bitbucket", SCHEME)
      .docs("https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/")
      .scheme("`X-Hub-Signature: sha256=<hex>` HMAC-SHA256 of the body")
      .secret("webhook secret")
      .signer(in -> Declared.json(in.body(), "X-Hub-Signature", "sha256=" + hex(hmacSha256(in.secret(), in.body())),
          "X-Request-UUID", in.eventId(), "X-Event-Key", "repo:push"))
      .build();

  private Bitbucket() {}
}
