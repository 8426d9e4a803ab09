package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.HmacSignatureVerifier;
import io.hookline.verify.Provider;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignedEvent;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The generic HMAC scheme, every part configured in the source's {@code hmac:} block. */
public final class GenericHmac {
  public static final Provider PROVIDER = Provider.named("hmac")
      .docs("docs/providers.md#generic-hmac-hmac")
      .scheme("any header, `<prefix><hex|base64>` of HMAC over a template")
      .secret("raw, base64 or hex key")
      .eventId("configured header or JSON pointer, else SHA-256 of the body")
      .note("see below")
      .verifier(HmacSignatureVerifier::create)
      .signer(GenericHmac::sign)
      .build();

  private GenericHmac() {}

  private static SignedEvent sign(SendInput in) {
    String algorithm = in.option("algorithm", "sha256").toLowerCase(Locale.ROOT);
    String jca = switch (algorithm) {
      case "sha1" -> "HmacSHA1";
      case "sha512" -> "HmacSHA512";
      default -> "HmacSHA256";
    };
    byte[] key = switch (in.option("secretEncoding", "raw").toLowerCase(Locale.ROOT)) {
      case "base64" -> Base64.getDecoder().decode(in.secret().trim());
      case "hex" -> HexFormat.of().parseHex(in.secret().trim());
      default -> utf8(in.secret());
    };
    String ts = Long.toString(in.nowSeconds());
    String template = in.option("signedContent", "{body}");
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    for (int i = 0; i < template.length(); ) {
      if (template.startsWith("{body}", i)) {
        signed.writeBytes(in.body());
        i += "{body}".length();
      } else if (template.startsWith("{timestamp}", i)) {
        signed.writeBytes(utf8(ts));
        i += "{timestamp}".length();
      } else if (template.startsWith("{id}", i)) {
        signed.writeBytes(utf8(in.eventId()));
        i += "{id}".length();
      } else {
        signed.writeBytes(utf8(String.valueOf(template.charAt(i))));
        i++;
      }
    }
    byte[] mac = hmac(jca, key, signed.toByteArray());
    String encoded = in.option("encoding", "hex").equalsIgnoreCase("base64") ? base64(mac) : hex(mac);
    Map<String, String> h = new LinkedHashMap<>();
    String header = in.option("header", null);
    if (header == null) {
      throw new IllegalArgumentException("hmac needs its 'header' option to sign");
    }
    h.put(header, in.option("prefix", "") + encoded);
    String timestampHeader = in.option("timestampHeader", null);
    if (timestampHeader != null) {
      h.put(timestampHeader, ts);
    }
    addConfiguredIdAndType(in, h);
    return SignedEvent.json(h, in.body());
  }

  /** The configurable schemes' id and type headers, when configured (pointers find them in the test body). */
  static void addConfiguredIdAndType(SendInput in, Map<String, String> headers) {
    String idHeader = in.option("idHeader", in.option("eventIdHeader", null));
    if (idHeader != null) {
      headers.put(idHeader, in.eventId());
    }
    String typeHeader = in.option("eventTypeHeader", null);
    if (typeHeader != null) {
      headers.put(typeHeader, "hookline.test");
    }
  }
}
