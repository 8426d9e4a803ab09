package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed HMAC scheme declared as data, for the providers that sign the body (and maybe a
 * timestamp) with a shared secret and put the MAC in a header: which header(s), prefix, hex or
 * base64, what is signed, where the timestamp is and where the event id and type are. Built once
 * per source; verification parses the header(s) without allocating beyond the decoded MACs and
 * compares in constant time against every active secret.
 *
 * <p>Signature headers: every listed header that is present carries a candidate (Box's primary
 * and secondary, Gitea's and Forgejo's), or numbered headers {@code <prefix>1..n} (DocuSign); a
 * header may hold a list ({@code v1=…,v1=…}, PagerDuty). Any candidate matching any active secret
 * is enough, but a damaged candidate makes the request malformed.
 */
public final class HmacScheme implements SignatureVerifier {
  /** Most signature headers one request may carry (DocuSign allows 100 keys; the cost is bounded). */
  static final int MAX_CANDIDATES = 100;

  public enum Encoding { HEX, BASE64 }

  /** How a timestamp header is written. */
  public enum TimestampFormat { UNIX_SECONDS, RFC3339 }

  /** One piece of the signed content, in order. */
  public sealed interface Part permits Body, Literal, TimestampValue {}

  public record Literal(byte[] bytes) implements Part {
    public static Literal of(String text) {
      return new Literal(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  public enum Body implements Part { INSTANCE }

  /** The timestamp header's value as sent. */
  public enum TimestampValue implements Part { INSTANCE }

  /** The declaration; {@link #create} builds one source's verifier from it. */
  public static final class Spec {
    private final String jcaAlgorithm;
    private final int macBytes;
    private String[] headers = new String[0];
    private String numberedHeaderPrefix;
    private String prefix = "";
    private Encoding encoding = Encoding.HEX;
    private char listSeparator;
    private List<Part> signed = List.of(Body.INSTANCE);
    private String timestampHeader;
    private TimestampFormat timestampFormat = TimestampFormat.UNIX_SECONDS;
    private String bodyTimestampMillisPointer;
    private EventFields events = EventFields.of(EventField.bodySha256(), EventField.none());

    private Spec(String jcaAlgorithm, int macBytes) {
      this.jcaAlgorithm = jcaAlgorithm;
      this.macBytes = macBytes;
    }

    /** Every listed header that is present carries a signature; at least one must be. */
    public Spec headers(String... names) { this.headers = names.clone(); return this; }
    /** Headers {@code <prefix>1}, {@code <prefix>2}, … (stops at the first absent). */
    public Spec numberedHeaders(String prefix) { this.numberedHeaderPrefix = prefix; return this; }
    /** Text before the MAC, e.g. {@code sha256=}; with a list, the prefix of each entry to check. */
    public Spec prefix(String prefix) { this.prefix = prefix; return this; }
    public Spec base64() { this.encoding = Encoding.BASE64; return this; }
    public Spec hex() { this.encoding = Encoding.HEX; return this; }
    /** The header is a list of entries separated by this character; entries without the prefix are ignored. */
    public Spec list(char separator) { this.listSeparator = separator; return this; }
    /** The signed content (default: the body alone). */
    public Spec signs(Part... parts) { this.signed = List.of(parts); return this; }
    /** A signed timestamp header, held to the source's tolerance. */
    public Spec timestampHeader(String name, TimestampFormat format) {
      this.timestampHeader = name;
      this.timestampFormat = format;
      return this;
    }
    /** A timestamp in the (signed) body, in epoch milliseconds, held to the source's tolerance. */
    public Spec bodyTimestampMillis(String pointer) {
      JsonFields.parsePointer(pointer);
      this.bodyTimestampMillisPointer = pointer;
      return this;
    }
    public Spec events(EventField id, EventField type) { this.events = EventFields.of(id, type); return this; }

    public EventFields events() { return events; }

    /** Secrets used as-is; the provider takes no options. */
    public SignatureVerifier create(ProviderSetup setup) {
      setup.options().allowOnly();
      return create(setup.rawHmacKeys(jcaAlgorithm), setup.toleranceMillis());
    }

    public SignatureVerifier create(List<HmacKey> keys, long toleranceMillis) {
      if (headers.length == 0 && numberedHeaderPrefix == null) {
        throw new IllegalStateException("an HmacScheme needs its signature header(s)");
      }
      if (signed.contains(TimestampValue.INSTANCE) != (timestampHeader != null)) {
        throw new IllegalStateException("a timestamp header must be signed, and only a declared one can be");
      }
      return new HmacScheme(this, keys, toleranceMillis);
    }
  }

  public static Spec sha256() {
    return new Spec("HmacSHA256", 32);
  }

  public static Spec sha1() {
    return new Spec("HmacSHA1", 20);
  }

  private final String[] headers;
  private final String numberedHeaderPrefix;
  /** {@code prefix1} .. {@code prefix101}, made once rather than concatenated per request. */
  private final String[] numberedNames;
  private final String prefix;
  private final Encoding encoding;
  private final char listSeparator;
  private final int macBytes;
  private final Part[] signed;
  private final String timestampHeader;
  private final TimestampFormat timestampFormat;
  private final JsonFields bodyTimestamp;
  private final EventFields events;
  private final HmacKey[] keys;
  private final long toleranceMillis;

  private final Verification missing;
  private final Verification malformed;
  private final Verification tooMany;
  private final Verification missingTimestamp;
  private final Verification badTimestamp;
  private final Verification noMatch;
  private final Verification stale;

  private HmacScheme(Spec spec, List<HmacKey> keys, long toleranceMillis) {
    this.headers = spec.headers;
    this.numberedHeaderPrefix = spec.numberedHeaderPrefix;
    this.numberedNames = new String[spec.numberedHeaderPrefix == null ? 0 : MAX_CANDIDATES + 1];
    for (int i = 0; i < numberedNames.length; i++) {
      numberedNames[i] = spec.numberedHeaderPrefix + (i + 1);
    }
    this.prefix = spec.prefix;
    this.encoding = spec.encoding;
    this.listSeparator = spec.listSeparator;
    this.macBytes = spec.macBytes;
    this.signed = spec.signed.toArray(new Part[0]);
    this.timestampHeader = spec.timestampHeader;
    this.timestampFormat = spec.timestampFormat;
    this.bodyTimestamp = spec.bodyTimestampMillisPointer == null ? null : JsonFields.of(spec.bodyTimestampMillisPointer);
    this.events = spec.events;
    this.keys = keys.toArray(new HmacKey[0]);
    this.toleranceMillis = toleranceMillis;

    String name = numberedHeaderPrefix != null ? numberedHeaderPrefix + "1" : String.join(" / ", headers);
    String form = (prefix.isEmpty() ? "" : "'" + prefix + "' followed by ") + "the "
        + (encoding == Encoding.HEX ? "hex" : "base64") + " of a " + macBytes + "-byte HMAC";
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE, name + " header is missing");
    this.malformed = Verification.rejected(Reason.MALFORMED_SIGNATURE, name + " header is not "
        + (listSeparator != 0 ? "a '" + listSeparator + "'-separated list of " : "") + form);
    this.tooMany = Verification.rejected(Reason.MALFORMED_SIGNATURE, name + " carries more than " + MAX_CANDIDATES + " signatures");
    String timestampSource = timestampHeader != null ? timestampHeader + " header" : "body " + spec.bodyTimestampMillisPointer;
    this.missingTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        timestampSource + " is missing (it is part of the signed content)");
    this.badTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE, timestampSource + " is not "
        + (timestampHeader == null ? "a Unix time in milliseconds" : timestampFormat == TimestampFormat.RFC3339
            ? "an RFC 3339 date-time" : "a Unix time in seconds"));
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE, name + " does not match any active secret for this source");
    this.stale = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE, timestampSource + " is outside the tolerance window");
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Candidates candidates = new Candidates();
    boolean any = false;
    int n = 0;
    while (true) {
      String name;
      if (numberedHeaderPrefix == null) {
        if (n >= headers.length) {
          break;
        }
        name = headers[n++];
      } else {
        if (n > MAX_CANDIDATES) {
          break;
        }
        name = numberedNames[n++];
      }
      HeaderRead read = HeaderRead.of(request, name);
      if (read.problem() != null) {
        return read.problem();
      }
      if (read.absent()) {
        if (numberedHeaderPrefix != null) {
          break;
        }
        continue;
      }
      any = true;
      if (!parse(read, candidates)) {
        return malformed;
      }
      if (candidates.count > MAX_CANDIDATES) {
        return tooMany;
      }
    }
    if (!any) {
      return missing;
    }
    if (candidates.count == 0) {
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
      timestampSeconds = timestampFormat == TimestampFormat.RFC3339
          ? rfc3339Seconds(read.value()) : Timestamps.parseSeconds(read.value());
      if (timestampSeconds < 0) {
        return badTimestamp;
      }
      timestamp = read.value().getBytes(StandardCharsets.US_ASCII);
    }

    byte[] body = request.body();
    long now = request.receivedAtMillis();
    byte[] signedTimestamp = timestamp;
    KeyMatch.SignedContent content = mac -> {
      for (Part part : signed) {
        if (part == Body.INSTANCE) {
          mac.update(body);
        } else if (part instanceof Literal literal) {
          mac.update(literal.bytes());
        } else {
          mac.update(signedTimestamp);
        }
      }
    };
    if (!KeyMatch.any(keys, now, content, candidates.items, candidates.count)) {
      return noMatch;
    }
    if (timestampHeader != null && !Timestamps.within(timestampSeconds, now, toleranceMillis)) {
      return stale;
    }
    if (bodyTimestamp != null) {
      String millis = bodyTimestamp.readOne(body);
      if (millis == null) {
        return missingTimestamp;
      }
      long ms = Timestamps.parseSeconds(millis);
      if (ms < 0) {
        return badTimestamp;
      }
      if (!Timestamps.within(ms / 1000, now - ms % 1000, toleranceMillis)) {
        return stale;
      }
    }
    return events.accept(request);
  }

  /** The decoded MACs of one request; past {@link #MAX_CANDIDATES} only counted (the request is refused). */
  private static final class Candidates {
    byte[][] items = new byte[2][];
    int count;

    void add(byte[] mac) {
      if (count < MAX_CANDIDATES) {
        if (count == items.length) {
          items = java.util.Arrays.copyOf(items, Math.min(count * 4, MAX_CANDIDATES));
        }
        items[count] = mac;
      }
      count++;
    }
  }

  /** Adds the header's MAC(s); false when malformed. */
  private boolean parse(HeaderRead read, Candidates out) {
    String value = read.value();
    int from = read.from();
    int to = read.to();
    if (listSeparator == 0) {
      byte[] mac = decode(value, from, to);
      if (mac == null) {
        return false;
      }
      out.add(mac);
      return true;
    }
    int itemStart = from;
    while (itemStart <= to && out.count <= MAX_CANDIDATES) {
      int separator = value.indexOf(listSeparator, itemStart);
      int itemEnd = separator < 0 || separator > to ? to : separator;
      int itemFrom = Text.skipSpaces(value, itemStart, itemEnd);
      int itemTo = Text.trimSpaces(value, itemFrom, itemEnd);
      if (itemFrom == itemTo) {
        return false;
      }
      if (value.startsWith(prefix, itemFrom)) {
        byte[] mac = decode(value, itemFrom, itemTo);
        if (mac == null) {
          return false;
        }
        out.add(mac);
      }
      itemStart = itemEnd + 1;
    }
    return true;
  }

  private byte[] decode(String value, int from, int to) {
    if (!value.startsWith(prefix, from)) {
      return null;
    }
    from += prefix.length();
    byte[] mac = encoding == Encoding.HEX ? Codecs.hex(value, from, to, macBytes) : Codecs.base64(value, from, to);
    return mac == null || mac.length != macBytes ? null : mac;
  }

  private static long rfc3339Seconds(String value) {
    long millis = Timestamps.fastRfc3339Millis(value);
    if (millis != Timestamps.NOT_FAST) {
      return Math.floorDiv(millis, 1000);
    }
    try {
      return OffsetDateTime.parse(value).toEpochSecond();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
