package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;

/** Discord interactions: Ed25519 over timestamp + body; PING answered. */
public final class Discord {
  public static final Provider PROVIDER = Provider.named("discord")
      .docs("https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers")
      .scheme("`X-Signature-Ed25519`: hex Ed25519 signature of `X-Signature-Timestamp` + body; tolerance")
      .secret("application public key (64 hex), checked on the curve at start-up")
      .eventId("body `id`")
      .eventType("body `type`")
      .handshake("PING (`type` 1) answered `{\"type\":1}` once verified, not stored")
      .note("`send` cannot sign (the source holds the public key only): use the provider's own test tools")
      .sampleBody((id, now) -> utf8("{\"id\":" + Bodies.quoted(id) + ",\"type\":2,\"data\":{\"name\":\"hookline\"}}"))
      .verifier(SchemeFactories::discord)
      .signer(in -> {
        throw new IllegalArgumentException("cannot sign: Discord signs with the application's private key, which only Discord holds (the source has the public key)");
      })
      .build();

  private Discord() {}
}
