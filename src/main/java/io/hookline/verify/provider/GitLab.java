package io.hookline.verify.provider;

import io.hookline.verify.ApiKeyVerifier;
import io.hookline.verify.EventField;
import io.hookline.verify.Provider;

/**
 * GitLab: {@code X-Gitlab-Token} is the secret token itself (no signature). {@code Idempotency-Key}
 * (GitLab 17.4+) stays the same on retries, so it is the dedup key; {@code X-Gitlab-Event-UUID}
 * (older GitLab) otherwise.
 */
public final class GitLab {
  static final EventField ID = EventField.header("Idempotency-Key", "X-Gitlab-Event-UUID");
  static final EventField TYPE = EventField.header("X-Gitlab-Event");

  public static final Provider PROVIDER = Provider.named("gitlab")
      .docs("https://docs.gitlab.com/user/project/integrations/webhooks/")
      .scheme("`X-Gitlab-Token` equals the secret token (constant-time; not stored with the event)")
      .secret("secret token")
      .eventId(ID.describe())
      .eventType(TYPE.describe())
      .note("docs: `Idempotency-Key` is the one kept on retries (SPEC lists `X-Gitlab-Event-UUID` first)")
      .verifier(setup -> {
        setup.options().allowOnly();
        return ApiKeyVerifier.token(setup.secrets(), "X-Gitlab-Token", ID, TYPE);
      })
      .signer(in -> Declared.json(in.body(), "X-Gitlab-Token", in.secret(), "Idempotency-Key", in.eventId(),
          "X-Gitlab-Event-UUID", in.eventId(), "X-Gitlab-Event", "Push Hook"))
      .build();

  private GitLab() {}
}
