package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Twilio: {@code X-Twilio-Signature} is the base64 HMAC-SHA1 (auth token as key) of the public URL
 * followed, for form posts, by every POST parameter sorted by name and appended as name+value
 * (repeated names: each distinct value, sorted). JSON posts are signed through the URL instead:
 * it carries {@code bodySHA256}, the hex SHA-256 of the body. Like Twilio's own libraries, the URL
 * is tried both with and without its default port, since Twilio has signed both forms.
 *
 * <p>SharedKey signing (Twilio's Webhooks configuration API): when a Webhook Rule matches, Twilio
 * signs the same string with a SharedKey secret and the Setting's algorithm instead, and announces
 * it with {@code X-Twilio-Webhooks-Signature-Settings: key=<key sid>,algorithm=HMAC_SHA256}. As in
 * twilio-node's {@code webhook()}: header absent means the auth token and HMAC-SHA1; header present
 * means the SharedKey secrets (configured as {@code sharedkey:<secret>}) and the header's algorithm
 * ({@code HMAC_SHA1} when it names none); any other algorithm is refused.
 *
 * <p>Event id: {@code I-Twilio-Idempotency-Token}, else the {@code MessageSid}/{@code CallSid}
 * parameter. Beware that one SID is shared by every status callback of a message or call.
 */
public final class TwilioSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Twilio-Signature";
  static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";
  static final String CONTENT_TYPE_HEADER = "Content-Type";
  static final String BODY_HASH_PARAM = "bodySHA256";
  static final String SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings";
  /** How a secret says it is a SharedKey secret rather than an auth token. */
  public static final String SHARED_KEY_PREFIX = "sharedkey:";
  private static final int SHA1_BYTES = 20;
  private static final int SHA256_BYTES = 32;
  private static final JsonFields JSON_FIELDS = JsonFields.of("/MessageSid", "/CallSid", "/type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "X-Twilio-Signature header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Signature header is not the base64 of a 20-byte HMAC-SHA1");
  private static final Verification MALFORMED_SHA256 = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Signature header is not the base64 of a 32-byte HMAC-SHA256");
  private static final Verification UNSUPPORTED_ALGORITHM = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Twilio-Webhooks-Signature-Settings names an algorithm other than HMAC_SHA1 or HMAC_SHA256");
  private static final Verification NO_SHARED_KEY = Verification.rejected(Reason.INVALID_SIGNATURE,
      "the request is signed with a Twilio SharedKey (X-Twilio-Webhooks-Signature-Settings) but this source"
          + " has no sharedkey: secret");
  private static final Verification NO_AUTH_TOKEN = Verification.rejected(Reason.INVALID_SIGNATURE,
      "the request is signed with the auth token (no X-Twilio-Webhooks-Signature-Settings) but this source"
          + " has only sharedkey: secrets");
  private static final Verification NO_SHARED_KEY_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Twilio-Signature does not match any active SharedKey secret for this source");
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
  private final HmacKey[] sharedSha1;
  private final HmacKey[] sharedSha256;

  /**
   * The registry's factory; no options. A secret {@code sharedkey:<secret>} is a SharedKey secret,
   * any other is an auth token (several of each = rotation).
   */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    List<HmacKey> tokens = new ArrayList<>();
    List<HmacKey> sha1 = new ArrayList<>();
    List<HmacKey> sha256 = new ArrayList<>();
    for (int i = 0; i < setup.secrets().size(); i++) {
      String value = setup.secrets().get(i).value();
      if (value.startsWith(SHARED_KEY_PREFIX)) {
        byte[] key = value.substring(SHARED_KEY_PREFIX.length()).getBytes(StandardCharsets.UTF_8);
        if (key.length == 0) {
          throw setup.secretError(i, "sharedkey: is followed by nothing; write sharedkey:<the SharedKey secret>");
        }
        sha1.add(setup.hmacKey(i, "HmacSHA1", key));
        sha256.add(setup.hmacKey(i, "HmacSHA256", key));
      } else {
        tokens.add(setup.hmacKey(i, "HmacSHA1", value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return new TwilioSignatureVerifier(tokens, sha1, sha256);
  }

  TwilioSignatureVerifier(List<HmacKey> keys) {
    this(keys, List.of(), List.of());
  }

  private TwilioSignatureVerifier(List<HmacKey> keys, List<HmacKey> sharedSha1, List<HmacKey> sharedSha256) {
    this.keys = keys.toArray(new HmacKey[0]);
    this.sharedSha1 = sharedSha1.toArray(new HmacKey[0]);
    this.sharedSha256 = sharedSha256.toArray(new HmacKey[0]);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, HEADER, MISSING);
    if (header.problem() != null) {
      return header.problem();
    }
    HeaderRead settings = HeaderRead.of(request, SETTINGS_HEADER);
    if (settings.problem() != null) {
      return settings.problem();
    }
    // An empty settings header counts as absent, as in twilio-node (an empty string is falsy there).
    boolean sharedKey = !settings.absent() && !settings.value().isEmpty();
    HmacKey[] candidates = keys;
    int macBytes = SHA1_BYTES;
    Verification malformed = MALFORMED;
    Verification noMatch = NO_MATCH;
    if (sharedKey) {
      String algorithm = algorithm(settings.value());
      if (algorithm.equalsIgnoreCase("HMAC_SHA1")) {
        candidates = sharedSha1;
      } else if (algorithm.equalsIgnoreCase("HMAC_SHA256")) {
        candidates = sharedSha256;
        macBytes = SHA256_BYTES;
        malformed = MALFORMED_SHA256;
      } else {
        return UNSUPPORTED_ALGORITHM;
      }
      noMatch = NO_SHARED_KEY_MATCH;
    }
    String value = header.value();
    byte[] provided = Codecs.base64(value, header.from(), header.to());
    if (provided == null || provided.length != macBytes) {
      return malformed;
    }
    if (candidates.length == 0) {
      return sharedKey ? NO_SHARED_KEY : NO_AUTH_TOKEN;
    }
    HmacKey[] signingKeys = candidates;
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
      matched = KeyMatch.any(signingKeys, now, mac -> {
        mac.update(candidateUrl);
        mac.update(signedParams);
      }, provided);
    }
    if (!matched) {
      return noMatch;
    }
    if (bodyHash != null && !MessageDigest.isEqual(sha256(body), bodyHash)) {
      return BODY_HASH_MISMATCH;
    }

    HeaderRead token = HeaderRead.eventId(request, IDEMPOTENCY_HEADER);
    if (token.problem() != null) {
      return token.problem();
    }
    if (form) {
      return EventIds.accept(token.absent() ? firstOf(params, "MessageSid", "CallSid") : token.value(), null);
    }
    // A JSON event keeps its body type even when the idempotency token is its id.
    String[] fields = JSON_FIELDS.read(body);
    return EventIds.accept(!token.absent() ? token.value() : fields[0] != null ? fields[0] : fields[1], fields[2]);
  }

  /**
   * The {@code algorithm=} of the settings header ({@code key=…,algorithm=HMAC_SHA256}), read as
   * twilio-node's {@code getSignatureAlgorithm} does: {@code HMAC_SHA1} when it names none.
   */
  static String algorithm(String settings) {
    for (String part : settings.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq >= 0 && part.substring(0, eq).trim().equals("algorithm")) {
        String algorithm = part.substring(eq + 1).trim();
        if (!algorithm.isEmpty()) {
          return algorithm;
        }
      }
    }
    return "HMAC_SHA1";
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
    // A sorted array instead of a TreeMap of TreeSets: the same order and the same distinct values, fewer objects.
    FormEncoding.Param[] sorted = params.toArray(new FormEncoding.Param[0]);
    Arrays.sort(sorted, BY_NAME_THEN_VALUE);
    int length = 0;
    for (FormEncoding.Param p : sorted) {
      length += p.name().length() + p.value().length();
    }
    StringBuilder data = new StringBuilder(length);
    FormEncoding.Param previous = null;
    for (FormEncoding.Param p : sorted) {
      if (previous == null || !previous.name().equals(p.name()) || !previous.value().equals(p.value())) {
        data.append(p.name()).append(p.value());
      }
      previous = p;
    }
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final Comparator<FormEncoding.Param> BY_NAME_THEN_VALUE =
      Comparator.comparing(FormEncoding.Param::name).thenComparing(FormEncoding.Param::value);

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
