package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Twilio: {@code X-Twilio-Signature} is the base64 HMAC-SHA1 (auth token as key) of the public URL
 * followed, for form posts, by every POST parameter sorted by name and appended as name+value
 * (repeated names: each distinct value, sorted). JSON posts are signed through the URL instead:
 * it carries {@code bodySHA256}, the hex SHA-256 of the body. Like Twilio's own libraries, the URL
 * is tried both with and without its default port, since Twilio has signed both forms.
 *
 * <p>Event id: {@code I-Twilio-Idempotency-Token}, else the {@code MessageSid}/{@code CallSid}
 * parameter. Beware that one SID is shared by every status callback of a message or call.
 */
public final class TwilioSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Twilio-Signature";
  static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";
  static final String CONTENT_TYPE_HEADER = "Content-Type";
  static final String BODY_HASH_PARAM = "bodySHA256";
  private static final int SHA1_BYTES = 20;
  private static final int SHA256_BYTES = 32;
  private static final JsonFields JSON_FIELDS = JsonFields.of("/MessageSid", "/CallSid", "/type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "X-Twilio-Signature header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Signature header is not the base64 of a 20-byte HMAC-SHA1");
  private static final Verification BAD_BODY_HASH_PARAM = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "the URL's bodySHA256 parameter is not 64 hex characters (or appears more than once)");
  private static final Verification NO_URL = Verification.rejected(Reason.INVALID_SIGNATURE,
      "the public URL of this request is unknown, so its Twilio signature cannot be checked");
  private static final Verification UNREADABLE_FORM = Verification.rejected(Reason.INVALID_SIGNATURE,
      "form body is not valid application/x-www-form-urlencoded UTF-8, so its signature cannot be checked");
  private static final Verification UNSIGNED_BODY = Verification.rejected(Reason.INVALID_SIGNATURE,
      "a body that is not a form must be covered by a bodySHA256 URL parameter");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Twilio-Signature does not match any active auth token for this source");
  private static final Verification BODY_HASH_MISMATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "body does not match the signed bodySHA256");

  private final HmacKey[] keys;

  /** The registry's factory: the secrets used as-is; no options. */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    return new TwilioSignatureVerifier(setup.rawHmacKeys("HmacSHA1"));
  }

  TwilioSignatureVerifier(List<HmacKey> keys) {
    this.keys = keys.toArray(new HmacKey[0]);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, HEADER, MISSING);
    if (header.problem() != null) {
      return header.problem();
    }
    String value = header.value();
    byte[] provided = Codecs.base64(value, header.from(), header.to());
    if (provided == null || provided.length != SHA1_BYTES) {
      return MALFORMED;
    }
    String url = request.publicUrl();
    if (url == null || url.isEmpty()) {
      return NO_URL;
    }
    HeaderRead contentType = HeaderRead.of(request, CONTENT_TYPE_HEADER);
    if (contentType.problem() != null) {
      return contentType.problem();
    }
    byte[] body = request.body();
    boolean form = isForm(contentType.value());

    List<FormEncoding.Param> params = null;
    byte[] signedParams;
    byte[] bodyHash = null;
    if (form) {
      params = FormEncoding.parse(body);
      if (params == null) {
        return UNREADABLE_FORM;
      }
      signedParams = sortedParams(params);
    } else {
      List<FormEncoding.Param> query = FormEncoding.parse(FormEncoding.query(url));
      String hashParam = null;
      int hashParams = 0;
      for (FormEncoding.Param p : query == null ? List.<FormEncoding.Param>of() : query) {
        if (p.name().equals(BODY_HASH_PARAM)) {
          hashParam = p.value();
          hashParams++;
        }
      }
      if (hashParams > 1) {
        return BAD_BODY_HASH_PARAM;
      }
      if (hashParam == null) {
        if (body.length > 0) {
          return UNSIGNED_BODY;
        }
      } else {
        bodyHash = Codecs.hex(hashParam, 0, hashParam.length(), SHA256_BYTES);
        if (bodyHash == null) {
          return BAD_BODY_HASH_PARAM;
        }
      }
      signedParams = new byte[0];
    }

    byte[][] urls = urlVariants(url);
    long now = request.receivedAtMillis();
    boolean matched = false;
    for (int i = 0; i < urls.length && !matched; i++) {
      byte[] candidateUrl = urls[i];
      matched = KeyMatch.any(keys, now, mac -> {
        mac.update(candidateUrl);
        mac.update(signedParams);
      }, provided);
    }
    if (!matched) {
      return NO_MATCH;
    }
    if (bodyHash != null && !MessageDigest.isEqual(sha256(body), bodyHash)) {
      return BODY_HASH_MISMATCH;
    }

    HeaderRead token = HeaderRead.eventId(request, IDEMPOTENCY_HEADER);
    if (token.problem() != null) {
      return token.problem();
    }
    if (!token.absent()) {
      return EventIds.accept(token.value(), null);
    }
    if (form) {
      return EventIds.accept(firstOf(params, "MessageSid", "CallSid"), null);
    }
    String[] fields = JSON_FIELDS.read(body);
    return EventIds.accept(fields[0] != null ? fields[0] : fields[1], fields[2]);
  }

  static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    int from = Text.skipSpaces(contentType, 0, contentType.length());
    String type = "application/x-www-form-urlencoded";
    if (!contentType.regionMatches(true, from, type, 0, type.length())) {
      return false;
    }
    int end = from + type.length();
    return end == contentType.length() || contentType.charAt(end) == ';' || contentType.charAt(end) == ' '
        || contentType.charAt(end) == '\t';
  }

  /** name+value for each name in order, each distinct value of a repeated name in order (UTF-16 order, as Twilio's libraries sort). */
  static byte[] sortedParams(List<FormEncoding.Param> params) {
    TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
    for (FormEncoding.Param p : params) {
      sorted.computeIfAbsent(p.name(), k -> new TreeSet<>()).add(p.value());
    }
    StringBuilder data = new StringBuilder();
    sorted.forEach((name, values) -> values.forEach(v -> data.append(name).append(v)));
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The URL with its default port removed and with it added (Twilio has signed both), deduplicated. */
  static byte[][] urlVariants(String url) {
    String without = removePort(url);
    String with = addPort(url);
    List<byte[]> variants = new ArrayList<>(3);
    variants.add(url.getBytes(StandardCharsets.UTF_8));
    if (!without.equals(url)) {
      variants.add(without.getBytes(StandardCharsets.UTF_8));
    }
    if (!with.equals(url) && !with.equals(without)) {
      variants.add(with.getBytes(StandardCharsets.UTF_8));
    }
    return variants.toArray(new byte[0][]);
  }

  /** [scheme://, authority-without-port, :port or "", rest] or null when the URL has no scheme. */
  private static String[] split(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      return null;
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = url.substring(authorityStart, authorityEnd);
    int hostStart = authority.lastIndexOf('@') + 1;
    int colon = authority.indexOf(':', Math.max(hostStart, authority.lastIndexOf(']') + 1));
    String hostPart = colon < 0 ? authority : authority.substring(0, colon);
    String port = colon < 0 ? "" : authority.substring(colon);
    return new String[] {url.substring(0, authorityStart), hostPart, port, url.substring(authorityEnd)};
  }

  static String removePort(String url) {
    String[] parts = split(url);
    return parts == null ? url : parts[0] + parts[1] + parts[3];
  }

  static String addPort(String url) {
    String[] parts = split(url);
    if (parts == null || !parts[2].isEmpty()) {
      return url;
    }
    String port = parts[0].toLowerCase(Locale.ROOT).equals("https://") ? ":443" : ":80";
    return parts[0] + parts[1] + port + parts[3];
  }

  private static String firstOf(List<FormEncoding.Param> params, String... names) {
    for (String name : names) {
      for (FormEncoding.Param p : params) {
        if (p.name().equals(name)) {
          return p.value();
        }
      }
    }
    return null;
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
