package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic HMAC for senders without a dedicated scheme: one header carrying
 * {@code <prefix><hex|base64 HMAC>} over a configurable signed content built from the body, a
 * signed timestamp header and an id header (e.g. {@code {timestamp}.{body}}). When a timestamp is
 * signed it is also held to the source's tolerance.
 */
public final class HmacSignatureVerifier implements SignatureVerifier {
  /** One piece of the signed content. */
  sealed interface Part permits Literal, Body, TimestampValue, IdValue {}

  record Literal(byte[] bytes) implements Part {}

  enum Body implements Part { INSTANCE }

  enum TimestampValue implements Part { INSTANCE }

  enum IdValue implements Part { INSTANCE }

  enum Encoding { HEX, BASE64 }

  private final HmacKey[] keys;
  private final String header;
  private final String prefix;
  private final Encoding encoding;
  private final Part[] signedContent;
  private final String timestampHeader;
  private final long toleranceMillis;
  private final String idHeader;
  private final ConfiguredEventId eventId;
  private final int macBytes;
  private final boolean signsId;

  private final Verification missing;
  private final Verification malformed;
  private final Verification missingTimestamp;
  private final Verification badTimestamp;
  private final Verification missingId;
  private final Verification noMatch;
  private final Verification stale;

  HmacSignatureVerifier(List<HmacKey> keys, String header, String prefix, Encoding encoding, List<Part> signedContent,
                        String timestampHeader, long toleranceMillis, ConfiguredEventId eventId) {
    this.keys = keys.toArray(new HmacKey[0]);
    this.header = header;
    this.prefix = prefix;
    this.encoding = encoding;
    this.signedContent = signedContent.toArray(new Part[0]);
    this.timestampHeader = timestampHeader;
    this.toleranceMillis = toleranceMillis;
    this.idHeader = eventId.idHeader();
    this.eventId = eventId;
    this.macBytes = this.keys[0].macLength();
    this.signsId = signedContent.contains(IdValue.INSTANCE);
    String form = (prefix.isEmpty() ? "" : "'" + prefix + "' followed by ") + "the "
        + (encoding == Encoding.HEX ? "hex" : "base64") + " of a " + macBytes + "-byte HMAC";
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE, header + " header is missing");
    this.malformed = Verification.rejected(Reason.MALFORMED_SIGNATURE, header + " header is not " + form);
    this.missingTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        timestampHeader + " header is missing (it is part of the signed content)");
    this.badTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        timestampHeader + " header is not a Unix time in seconds");
    this.missingId = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        idHeader + " header is missing (it is part of the signed content)");
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE,
        header + " does not match any active secret for this source");
    this.stale = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
        timestampHeader + " is outside the tolerance window");
  }

  /** The registry's factory: every part of the scheme comes from the {@code hmac:} options (README, Providers). */
  public static SignatureVerifier create(ProviderSetup setup) {
    ProviderOptions options = setup.options();
    List<io.hookline.config.Secret> secrets = setup.secrets();
    long toleranceMillis = setup.toleranceMillis();
    options.allowOnly("algorithm", "header", "encoding", "prefix", "secretEncoding", "signedContent",
        "timestampHeader", "idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader", "eventTypePointer");
    String algorithm = options.choice("algorithm", "sha256", "sha1", "sha256", "sha512");
    String header = options.headerName("header", null);
    if (header == null) {
      throw new io.hookline.config.ConfigException(options.path("header"), "is required: the header that carries the signature");
    }
    Encoding encoding = options.choice("encoding", "hex", "hex", "base64").equals("hex")
        ? Encoding.HEX : Encoding.BASE64;
    String prefix = options.string("prefix", "");
    String secretEncoding = options.choice("secretEncoding", "raw", "raw", "base64", "hex");
    String template = options.nonEmptyString("signedContent", "{body}");
    String timestampHeader = options.headerName("timestampHeader", null);
    ConfiguredEventId eventId = ConfiguredEventId.from(options);

    List<Part> parts;
    try {
      parts = parseTemplate(template);
    } catch (IllegalArgumentException e) {
      throw new io.hookline.config.ConfigException(options.path("signedContent"), e.getMessage());
    }
    long bodies = parts.stream().filter(p -> p == Body.INSTANCE).count();
    if (bodies != 1) {
      throw new io.hookline.config.ConfigException(options.path("signedContent"),
          "must contain {body} exactly once (a signature that does not cover the body proves nothing about it)");
    }
    boolean signsTimestamp = parts.contains(TimestampValue.INSTANCE);
    if (signsTimestamp && timestampHeader == null) {
      throw new io.hookline.config.ConfigException(options.path("timestampHeader"), "is required because signedContent uses {timestamp}");
    }
    if (!signsTimestamp && timestampHeader != null) {
      throw new io.hookline.config.ConfigException(options.path("signedContent"),
          "must use {timestamp} when timestampHeader is set (an unsigned timestamp cannot stop replays)");
    }
    if (parts.contains(IdValue.INSTANCE) && eventId.idHeader() == null) {
      throw new io.hookline.config.ConfigException(options.path("idHeader"), "is required because signedContent uses {id}");
    }

    String jca = switch (algorithm) {
      case "sha1" -> "HmacSHA1";
      case "sha512" -> "HmacSHA512";
      default -> "HmacSHA256";
    };
    List<HmacKey> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      String value = secrets.get(i).value();
      byte[] key = switch (secretEncoding) {
        case "base64" -> Codecs.base64Lenient(value.trim());
        case "hex" -> Codecs.hex(value.trim());
        default -> value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      };
      if (key == null || key.length == 0) {
        throw setup.secretError(i, "is not valid " + secretEncoding + " (secretEncoding is " + secretEncoding + ")");
      }
      keys.add(setup.hmacKey(i, jca, key));
    }
    return new HmacSignatureVerifier(keys, header, prefix, encoding, parts,
        signsTimestamp ? timestampHeader : null, toleranceMillis, eventId);
  }

  /**
   * Parses a template of literal text and the placeholders {@code {body}}, {@code {timestamp}},
   * {@code {id}}. Any other brace is an error, so a typo such as {@code {tiemstamp}} cannot turn
   * into literal text that no sender signs.
   */
  static List<Part> parseTemplate(String template) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int close = template.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("'{' at position " + i + " is never closed");
        }
        String name = template.substring(i + 1, close);
        Part part = switch (name) {
          case "body" -> Body.INSTANCE;
          case "timestamp" -> TimestampValue.INSTANCE;
          case "id" -> IdValue.INSTANCE;
          default -> throw new IllegalArgumentException("unknown placeholder {" + name + "} (use {body}, {timestamp}, {id})");
        };
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
          literal.setLength(0);
        }
        parts.add(part);
        i = close + 1;
      } else if (c == '}') {
        throw new IllegalArgumentException("'}' at position " + i + " has no matching '{'");
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return parts;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead signatureHeader = HeaderRead.required(request, header, missing);
    if (signatureHeader.problem() != null) {
      return signatureHeader.problem();
    }
    String value = signatureHeader.value();
    int from = signatureHeader.from();
    int to = signatureHeader.to();
    if (!value.startsWith(prefix, from)) {
      return malformed;
    }
    from += prefix.length();
    byte[] provided = encoding == Encoding.HEX
        ? Codecs.hex(value, from, to, macBytes)
        : Codecs.base64(value, from, to);
    if (provided == null || provided.length != macBytes) {
      return malformed;
    }

    byte[] timestamp = null;
    long timestampSeconds = -1;
    if (timestampHeader != null) {
      HeaderRead read = HeaderRead.of(request, timestampHeader);
      if (read.problem() != null) {
        return read.problem();
      }
      if (read.absent()) {
        return missingTimestamp;
      }
      timestampSeconds = Timestamps.parseSeconds(read.value());
      if (timestampSeconds < 0) {
        return badTimestamp;
      }
      timestamp = read.value().getBytes(StandardCharsets.US_ASCII);
    }
    byte[] id = null;
    if (idHeader != null) {
      HeaderRead read = HeaderRead.eventId(request, idHeader);
      if (read.problem() != null) {
        return read.problem();
      }
      if (!read.absent()) {
        id = read.value().getBytes(StandardCharsets.US_ASCII);
      } else if (signsId) {
        return missingId;
      }
    }

    byte[] body = request.body();
    long now = request.receivedAtMillis();
    byte[] signedTimestamp = timestamp;
    byte[] signedId = id;
    KeyMatch.SignedContent content = mac -> {
      for (Part part : signedContent) {
        if (part instanceof Literal literal) {
          mac.update(literal.bytes());
        } else if (part == Body.INSTANCE) {
          mac.update(body);
        } else if (part == TimestampValue.INSTANCE) {
          mac.update(signedTimestamp);
        } else {
          mac.update(signedId);
        }
      }
    };
    if (!KeyMatch.any(keys, now, content, provided)) {
      return noMatch;
    }
    if (timestampHeader != null && !Timestamps.within(timestampSeconds, now, toleranceMillis)) {
      return stale;
    }
    return eventId.accept(request);
  }
}
