package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.GitHubSignatureVerifier;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** GitHub: {@code X-Hub-Signature-256: sha256=<hex>} over the body. */
public final class GitHub {
  public static final Provider PROVIDER = Provider.named("github")
      .docs("https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries")
      .scheme("`X-Hub-Signature-256: sha256=<hex>` over the body (SHA-1 header refused)")
      .secret("webhook secret")
      .eventId("`X-GitHub-Delivery`")
      .eventType("`X-GitHub-Event`")
      .verifier(GitHubSignatureVerifier::create)
      .signer(in -> {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Hub-Signature-256", "sha256=" + hex(hmacSha256(in.secret(), in.body())));
        h.put("X-GitHub-Delivery", in.eventId());
        h.put("X-GitHub-Event", "ping");
        return SignedEvent.json(h, in.body());
      })
      .build();

  private GitHub() {}
}
