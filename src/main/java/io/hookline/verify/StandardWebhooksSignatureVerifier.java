package io.hookline.verify;

import java.util.List;

/**
 * Standard Webhooks (standardwebhooks.com, also what Svix sends): {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature}, the last a space-separated list of
 * {@code v1,<base64 HMAC-SHA256>} (secret {@code whsec_<base64>}) and/or
 * {@code v1a,<base64 Ed25519>} (public key {@code whpk_<base64>}), all over
 * {@code <id>.<timestamp>.<body>}. Any listed signature matching any active key is enough;
 * unknown versions are ignored, but a damaged {@code v1}/{@code v1a} entry makes the whole header
 * malformed. Svix-branded {@code svix-*} headers are read when the
 * {@code webhook-*} ones are absent. Event id is {@code webhook-id}, type the body's {@code type}.
 */
public final class StandardWebhooksSignatureVerifier implements SignatureVerifier {
  static final String ID_HEADER = "webhook-id";
  static final String TIMESTAMP_HEADER = "webhook-timestamp";
  static final String SIGNATURE_HEADER = "webhook-signature";
  static final String SVIX_ID_HEADER = "svix-id";
  static final String SVIX_TIMESTAMP_HEADER = "svix-timestamp";
  static final String SVIX_SIGNATURE_HEADER = "svix-signature";
  /** Bounds the Ed25519 work one request can ask for (each check costs tens of microseconds). */
  static final int MAX_SIGNATURES = 16;
  private static final int SHA256_BYTES = 32;
  private static final JsonFields TYPE = JsonFields.of("/type");

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "webhook-signature header is missing");
  private static final Verification MISSING_ID = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-id header is missing (it is part of the signed content)");
  private static final Verification MISSING_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-timestamp header is missing (it is part of the signed content)");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-timestamp header is not a Unix time in seconds");
  private static final Verification NO_SIGNATURE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-signature header has no v1 or v1a signature this source can check");
  private static final Verification BAD_SIGNATURE = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-signature header has an entry that is not v1,<base64 of 32 bytes> or v1a,<base64 of 64 bytes>");
  private static final Verification TOO_MANY = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "webhook-signature header lists more than " + MAX_SIGNATURES + " signatures");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "webhook-signature does not match any active key for this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "webhook-timestamp is outside the tolerance window");

  private final HmacKey[] hmacKeys;
  private final VerifyingKey[] publicKeys;
  private final long toleranceMillis;

  /** The registry's factory: each secret is {@code whsec_<base64>} (HMAC) or {@code whpk_<base64>} (Ed25519); no options. */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    List<HmacKey> hmacKeys = new java.util.ArrayList<>();
    List<VerifyingKey> publicKeys = new java.util.ArrayList<>();
    List<io.hookline.config.Secret> secrets = setup.secrets();
    for (int i = 0; i < secrets.size(); i++) {
      io.hookline.config.Secret secret = secrets.get(i);
      String value = secret.value().trim();
      if (value.startsWith(io.hookline.config.StandardWebhooksSecret.PREFIX)) {
        byte[] key;
        try {
          key = io.hookline.config.StandardWebhooksSecret.decode(value);
        } catch (IllegalArgumentException e) {
          throw setup.secretError(i, e.getMessage());
        }
        hmacKeys.add(setup.hmacKey(i, "HmacSHA256", key));
      } else if (value.startsWith("whpk_")) {
        byte[] raw = Codecs.base64Lenient(value, "whpk_".length(), value.length());
        if (raw == null) {
          throw setup.secretError(i, "is not valid base64 after 'whpk_'");
        }
        try {
          publicKeys.add(Ed25519Key.parse(secret, raw));
        } catch (IllegalArgumentException e) {
          throw setup.secretError(i, "is not a valid Ed25519 public key: " + e.getMessage());
        }
      } else {
        throw setup.secretError(i, "must be a Standard Webhooks secret 'whsec_<base64>' or public key 'whpk_<base64>'");
      }
    }
    return new StandardWebhooksSignatureVerifier(hmacKeys, publicKeys, setup.toleranceMillis());
  }

  StandardWebhooksSignatureVerifier(List<HmacKey> hmacKeys, List<VerifyingKey> publicKeys, long toleranceMillis) {
    this.hmacKeys = hmacKeys.toArray(new HmacKey[0]);
    this.publicKeys = publicKeys.toArray(new VerifyingKey[0]);
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    // Each header looked up once: webhook-signature, and svix-signature only when it is absent.
    HeaderRead signatureHeader = HeaderRead.of(request, SIGNATURE_HEADER);
    boolean svix = false;
    if (signatureHeader.absent()) {
      HeaderRead svixSignature = HeaderRead.of(request, SVIX_SIGNATURE_HEADER);
      svix = !svixSignature.absent();
      signatureHeader = svix ? svixSignature : signatureHeader;
    }
    if (signatureHeader.absent()) {
      return MISSING;
    }
    if (signatureHeader.problem() != null) {
      return signatureHeader.problem();
    }
    HeaderRead idHeader = HeaderRead.eventId(request, svix ? SVIX_ID_HEADER : ID_HEADER);
    if (idHeader.problem() != null) {
      return idHeader.problem();
    }
    if (idHeader.absent() || idHeader.value().isEmpty()) {
      return MISSING_ID;
    }
    HeaderRead timestampHeader = HeaderRead.required(request, svix ? SVIX_TIMESTAMP_HEADER : TIMESTAMP_HEADER, MISSING_TIMESTAMP);
    if (timestampHeader.problem() != null) {
      return timestampHeader.problem();
    }
    long timestamp = Timestamps.parseSeconds(timestampHeader.value());
    if (timestamp < 0) {
      return BAD_TIMESTAMP;
    }

    String value = signatureHeader.value();
    // Sized for the usual one or two signatures, grown up to MAX_SIGNATURES: two arrays of 16 were a
    // quarter of a verify's allocation.
    byte[][] hmacCandidates = null;
    int hmacCount = 0;
    byte[][] edCandidates = null;
    int edCount = 0;
    int entries = 0;
    int length = value.length();
    int i = 0;
    while (i < length) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      int end = i;
      while (end < length && value.charAt(end) != ' ' && value.charAt(end) != '\t') {
        end++;
      }
      if (++entries > MAX_SIGNATURES) {
        return TOO_MANY;
      }
      int comma = value.indexOf(',', i);
      if (comma < 0 || comma >= end) {
        return BAD_SIGNATURE;
      } else if (comma - i == 2 && value.startsWith("v1", i)) {
        byte[] signature = Codecs.base64(value, comma + 1, end);
        if (signature == null || signature.length != SHA256_BYTES) {
          return BAD_SIGNATURE;
        }
        hmacCandidates = room(hmacCandidates, hmacCount);
        hmacCandidates[hmacCount++] = signature;
      } else if (comma - i == 3 && value.startsWith("v1a", i)) {
        byte[] signature = Codecs.base64(value, comma + 1, end);
        if (signature == null || signature.length != Ed25519Key.SIGNATURE_BYTES) {
          return BAD_SIGNATURE;
        }
        edCandidates = room(edCandidates, edCount);
        edCandidates[edCount++] = signature;
      }
      i = end;
    }
    boolean checkable = (hmacCount > 0 && hmacKeys.length > 0) || (edCount > 0 && publicKeys.length > 0);
    if (!checkable) {
      return NO_SIGNATURE;
    }

    byte[] prefix = Text.signedPrefix(idHeader.value(), '.', timestampHeader.value(), '.');
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    KeyMatch.SignedContent content = mac -> {
      mac.update(prefix);
      mac.update(body);
    };
    boolean matched = hmacCount > 0 && KeyMatch.any(hmacKeys, now, content, hmacCandidates, hmacCount);
    for (int e = 0; !matched && e < edCount; e++) {
      matched = VerifyingKey.any(publicKeys, now, edCandidates[e], prefix, body);
    }
    if (!matched) {
      return NO_MATCH;
    }
    if (!Timestamps.within(timestamp, now, toleranceMillis)) {
      return STALE;
    }
    return EventIds.accept(idHeader.value(), TYPE.readOne(body));
  }

  /** {@code candidates} with room for one more after {@code count} (never more than MAX_SIGNATURES are added). */
  private static byte[][] room(byte[][] candidates, int count) {
    if (candidates == null) {
      return new byte[2][];
    }
    return count < candidates.length ? candidates : java.util.Arrays.copyOf(candidates, Math.min(count * 2, MAX_SIGNATURES));
  }
}
