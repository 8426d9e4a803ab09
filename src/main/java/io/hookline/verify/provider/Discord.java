package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.SigningKeys;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Map;

/** Discord interactions: Ed25519 over timestamp + body; PING answered. */
public final class Discord {
  public static final Provider PROVIDER = Provider.named("discord")
      .docs("https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers")
      .scheme("`X-Signature-Ed25519`: hex Ed25519 signature of `X-Signature-Timestamp` + body; tolerance")
      .secret("application public key (64 hex), checked on the curve at start-up")
      .eventId("body `id`")
      .eventType("body `type`")
      .handshake("PING (`type` 1) answered `{\"type\":1}` once verified, not stored")
      .note("`send` signs only with the application's private key: `hookline send --private-key FILE` (PKCS#8 PEM or 64-hex seed)")
      .sampleBody((id, now) -> utf8("{\"id\":" + Bodies.quoted(id) + ",\"type\":2,\"data\":{\"name\":\"hookline\"}}"))
      .sampleKeys(random -> {
        KeyPair keys = SigningKeys.generate("Ed25519", random);
        byte[] spki = keys.getPublic().getEncoded(); // X.509: 12 bytes of algorithm header, then the 32-byte key
        return new Provider.SampleKeys(hex(Arrays.copyOfRange(spki, spki.length - 32, spki.length)), keys.getPrivate());
      })
      .verifier(SchemeFactories::discord)
      .signer(in -> {
        PrivateKey key = SigningKeys.ed25519(in.privateKey(), "discord");
        String ts = Long.toString(in.nowSeconds());
        return SignedEvent.json(Map.of("X-Signature-Ed25519", hex(SigningKeys.sign("Ed25519", key, utf8(ts), in.body())),
            "X-Signature-Timestamp", ts), in.body());
      })
      .build();

  private Discord() {}
}
