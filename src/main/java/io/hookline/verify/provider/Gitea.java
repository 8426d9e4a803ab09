package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Gitea and Forgejo: {@code X-Gitea-Signature} / {@code X-Forgejo-Signature}, hex HMAC-SHA256 of the body. */
public final class Gitea {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-Gitea-Signature", "X-Forgejo-Signature")
      .events(EventField.header("X-Gitea-Delivery", "X-Forgejo-Delivery"), EventField.header("X-Gitea-Event", "X-Forgejo-Event"));

  public static final Provider PROVIDER = Declared.hmac("gitea", SCHEME)
      .docs("https://docs.gitea.com/usage/webhooks")
      .scheme("`X-Gitea-Signature` (Forgejo: `X-Forgejo-Signature`, either or both): hex HMAC-SHA256 of the body")
      .secret("webhook secret")
      .note("also Forgejo (its `X-Forgejo-*` headers)")
      .signer(in -> {
        String mac = hex(hmacSha256(in.secret(), in.body()));
        return Declared.json(in.body(), "X-Gitea-Signature", mac, "X-Forgejo-Signature", mac,
            "X-Gitea-Delivery", in.eventId(), "X-Gitea-Event", "push");
      })
      .build();

  private Gitea() {}
}
