package io.hookline.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/x-www-form-urlencoded} as senders produce it (bodies and query strings).
 * Strict where it matters for signatures: a broken {@code %} escape or invalid UTF-8 makes the
 * whole input unreadable (null) rather than silently decoding to something the sender did not sign.
 */
final class FormEncoding {
  record Param(String name, String value) {}

  private FormEncoding() {}

  static List<Param> parse(byte[] body) {
    return parse(new String(body, StandardCharsets.ISO_8859_1));
  }

  /** Pairs in input order; empty segments are skipped, a segment without '=' has value "". */
  static List<Param> parse(String encoded) {
    List<Param> params = new ArrayList<>();
    int start = 0;
    int length = encoded.length();
    while (start <= length) {
      int amp = encoded.indexOf('&', start);
      int end = amp < 0 ? length : amp;
      if (end > start) {
        int eq = encoded.indexOf('=', start);
        String name;
        String value;
        if (eq < 0 || eq > end) {
          name = decode(encoded, start, end);
          value = "";
        } else {
          name = decode(encoded, start, eq);
          value = decode(encoded, eq + 1, end);
        }
        if (name == null || value == null) {
          return null;
        }
        params.add(new Param(name, value));
      }
      start = end + 1;
    }
    return params;
  }

  /** Percent-decoding with '+' as space; null on a broken escape or bytes that are not UTF-8. */
  static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+' || c > 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s.substring(from, to);
    }
    byte[] bytes = new byte[to - from];
    int n = 0;
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int b;
      if (c == '+') {
        b = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        b = (hi << 4) | lo;
        i += 2;
      } else if (c > 0xff) {
        return null;
      } else {
        b = c;
      }
      ascii &= b < 0x80;
      bytes[n++] = (byte) b;
    }
    if (ascii) {
      // ASCII is UTF-8 as it is, no CharsetDecoder: with the array sort, 2 KiB Twilio 6.52 -> 6.32 µs (near noise)
      return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The query part of a URL (after '?', before '#'), or "" when there is none. */
  static String query(String url) {
    if (url == null) {
      return "";
    }
    int question = url.indexOf('?');
    if (question < 0) {
      return "";
    }
    int hash = url.indexOf('#', question);
    return hash < 0 ? url.substring(question + 1) : url.substring(question + 1, hash);
  }
}
