package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.SlackSignatureVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/** Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:ts:body}; {@code url_verification} answered. */
public final class Slack {
  public static final Provider PROVIDER = Provider.named("slack")
      .docs("https://api.slack.com/authentication/verifying-requests-from-slack")
      .scheme("`X-Slack-Signature: v0=<hex>` over `v0:ts:body`, `X-Slack-Request-Timestamp`; tolerance")
      .secret("signing secret")
      .eventId("body `event_id`")
      .eventType("body `event.type`, else `type`")
      .handshake("`url_verification` answered with its `challenge` once verified, not stored")
      .verifier(SlackSignatureVerifier::create)
      .signer(in -> {
        String ts = Long.toString(in.nowSeconds());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Slack-Request-Timestamp", ts);
        h.put("X-Slack-Signature", "v0=" + hex(hmacSha256(in.secret(), utf8("v0:" + ts + ":"), in.body())));
        return SignedEvent.json(h, in.body());
      })
      .build();

  private Slack() {}
}
