package io.hookline.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * Microsoft Graph change notifications: every notification in the body's {@code value} array must
 * carry a {@code clientState} equal to an active secret of the source (the value given when the
 * subscription was created; compared in constant time). Graph sends no event id: the id is the
 * SHA-256 of the first notification's subscriptionId, changeType and resource; the type is its
 * changeType. Creating a subscription makes Graph POST {@code ?validationToken=…}: the token is echoed
 * as text/plain and nothing is stored (Graph signs nothing on it; Graph wants the echo within 10 s).
 */
public final class MsGraphVerifier implements SignatureVerifier {
  private static final JsonFactory JSON = new JsonFactory();

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "the body has no value[] of notifications, each with a clientState");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "a notification's clientState does not match any active secret of this source");
  private static final Verification BAD_TOKEN = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "validationToken must be 1 to 1024 printable ASCII characters without < > & \" ' \\ `, given once");

  private final List<io.hookline.config.Secret> secrets;

  MsGraphVerifier(List<io.hookline.config.Secret> secrets) {
    this.secrets = secrets;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    String token = SchemeParts.queryParam(request, "validationToken");
    if (token != null) {
      if (token == SchemeParts.AMBIGUOUS || !SchemeParts.echoable(token)) {
        return BAD_TOKEN;
      }
      return Verification.handshake(SchemeParts.utf8(token), "text/plain");
    }
    Notification first;
    try {
      first = readAndCheck(request.body(), request.receivedAtMillis());
    } catch (IOException e) {
      return MISSING;
    }
    if (first == null) {
      return MISSING;
    }
    if (!first.allMatched) {
      return NO_MATCH;
    }
    String id = "msgraph:" + EventIds.sha256Hex(SchemeParts.utf8(
        nullToEmpty(first.subscriptionId) + "\n" + nullToEmpty(first.changeType) + "\n" + nullToEmpty(first.resource)));
    return EventIds.accept(id, first.changeType);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static final class Notification {
    String subscriptionId;
    String changeType;
    String resource;
    boolean allMatched = true;
  }

  /** The first notification's fields, with allMatched false if any one's clientState is absent or wrong; null when there is none. */
  private Notification readAndCheck(byte[] body, long now) throws IOException {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (!"value".equals(name) || t != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        Notification first = null;
        boolean allMatched = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          Notification n = new Notification();
          String clientState = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
            switch (field) {
              case "clientState" -> clientState = text;
              case "subscriptionId" -> n.subscriptionId = text;
              case "changeType" -> n.changeType = text;
              case "resource" -> n.resource = text;
              default -> p.skipChildren();
            }
          }
          allMatched &= clientState != null && SchemeParts.equalsAnySecret(secrets, now, clientState);
          if (first == null) {
            first = n;
          }
        }
        if (first != null) {
          first.allMatched = allMatched;
        }
        return first;
      }
    }
    return null;
  }
}
