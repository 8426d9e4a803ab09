package io.hookline.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;

/**
 * X (Twitter) Account Activity: {@code x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of
 * the body>} with the app's consumer secret. No event id (body SHA-256 is the key); the type is the
 * first top-level key ending in {@code _events} (e.g. {@code tweet_create_events}). The challenge-
 * response check is {@code GET ?crc_token=…}, answered {@code {"response_token":"sha256=<base64 HMAC
 * of the token>"}} with the source's first active secret: only the secret's holder can answer it.
 */
public final class TwitterSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "x-twitter-webhooks-signature";
  private static final JsonFactory JSON = new JsonFactory();

  private static final Verification NO_TOKEN = Verification.rejected(Reason.MISSING_SIGNATURE,
      "a challenge-response check needs ?crc_token=");
  private static final Verification BAD_TOKEN = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "crc_token must be 1 to 1024 printable ASCII characters without < > & \" ' \\ `, given once");
  private static final Verification NO_ACTIVE_SECRET = Verification.rejected(Reason.INVALID_SIGNATURE,
      "this source has no active secret to answer the challenge with");

  private final BodyHmacCheck check;

  TwitterSignatureVerifier(HmacKey[] keys) {
    this.check = new BodyHmacCheck(HEADER, "sha256=", true, keys);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Verification problem = check.check(request);
    return problem != null ? problem : EventIds.accept(null, eventsKey(request.body()));
  }

  @Override
  public Verification answerGet(WebhookRequest request) {
    String token = SchemeParts.queryParam(request, "crc_token");
    if (token == null) {
      return NO_TOKEN;
    }
    if (token == SchemeParts.AMBIGUOUS || !SchemeParts.echoable(token)) {
      return BAD_TOKEN;
    }
    HmacKey key = SchemeParts.firstActive(check.keys(), request.receivedAtMillis());
    if (key == null) {
      return NO_ACTIVE_SECRET;
    }
    String response = "sha256=" + Base64.getEncoder().encodeToString(SchemeParts.hmac(key, SchemeParts.utf8(token)));
    return Verification.handshake(SchemeParts.utf8("{\"response_token\":\"" + response + "\"}"), "application/json");
  }

  /** The first top-level key ending in {@code _events}, or null (not JSON, or none). */
  static String eventsKey(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (name.endsWith("_events")) {
          return name;
        }
        parser.nextToken();
        parser.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
