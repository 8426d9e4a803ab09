package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecsTest {
  @Property(tries = 300)
  void base64RoundTripsWithAndWithoutPadding(@ForAll @Size(max = 80) byte[] bytes) {
    String padded = Base64.getEncoder().encodeToString(bytes);
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
    if (bytes.length == 0) {
      assertThat(Codecs.base64(padded)).isNull();
      return;
    }
    assertThat(Codecs.base64(padded)).isEqualTo(bytes);
    assertThat(Codecs.base64Lenient(padded)).isEqualTo(bytes);
    assertThat(Codecs.base64Lenient(unpadded)).isEqualTo(bytes);
    if (!unpadded.equals(padded)) {
      assertThat(Codecs.base64(unpadded)).as("signatures must be padded").isNull();
    }
  }

  /** The one-pass decoder against the former validate-then-{@link Base64} one: same bytes, same refusals. */
  @Property(tries = 3000)
  void base64DecodesExactlyAsTheJdkDecoderBehindTheFormerChecks(
      @ForAll @StringLength(max = 12) @Chars({'A', 'B', 'g', 'Q', 'w', '+', '/', '=', '-', '_', '0', ' ', 'é'}) String s) {
    assertThat(Codecs.base64Lenient(s)).isEqualTo(formerBase64Lenient(s));
    byte[] expectedPadded = s.length() % 4 == 0 ? formerBase64Lenient(s) : null;
    assertThat(Codecs.base64(s)).isEqualTo(expectedPadded);
  }

  private static byte[] formerBase64Lenient(String s) {
    int length = s.length();
    if (length == 0) {
      return null;
    }
    int padding = 0;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (c == '=') {
        padding++;
      } else if (!alphabet || padding > 0) {
        return null;
      }
    }
    if (padding > 2 || (padding > 0 && length % 4 != 0) || length % 4 == 1) {
      return null;
    }
    byte[] decoded = Base64.getDecoder().decode(s);
    // Canonical only: re-encoding must give the same characters (no spare bits set).
    String again = Base64.getEncoder().withoutPadding().encodeToString(decoded);
    return again.equals(s.substring(0, length - padding)) ? decoded : null;
  }

  @Property(tries = 300)
  void hexRoundTripsInEitherCase(@ForAll @Size(max = 80) byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes);
    assertThat(Codecs.hex(hex)).isEqualTo(bytes);
    assertThat(Codecs.hex(hex.toUpperCase())).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "AB=", "A===", "AB=C", "ABC=D", "AB-_", "AB C", "ABCD=", "AB==AB==", "ABF=", "AR==", "é"})
  void refusesMalformedOrNonCanonicalBase64(String s) {
    assertThat(Codecs.base64(s)).isNull();
  }

  @Test
  void refusesMalformedHex() {
    for (String s : List.of("a", "abc", "zz", "0x00", "ab ", "é0")) {
      assertThat(Codecs.hex(s)).as(s).isNull();
    }
    assertThat(Codecs.hex("abcd", 0, 4, 3)).isNull();
  }

  @Test
  void timestampsAreDigitsOnlyAndCheckedBothWays() {
    assertThat(Timestamps.parseSeconds("1700000000")).isEqualTo(1_700_000_000L);
    for (String bad : List.of("", "-1", "+1", " 1", "1.0", "1e9", "0x10", "1234567890123456789")) {
      assertThat(Timestamps.parseSeconds(bad)).as(bad).isEqualTo(-1);
    }
    assertThat(Timestamps.within(1000, 1_000_000, 0)).isTrue();
    assertThat(Timestamps.within(1001, 1_000_000, 999)).isFalse();
    assertThat(Timestamps.within(999, 1_000_000, 999)).isFalse();
    assertThat(Timestamps.within(999_999_999_999_999_999L, 1_000_000, Long.MAX_VALUE / 2)).isFalse();
  }

  @Test
  void formDecodingIsStrict() {
    assertThat(FormEncoding.parse("a=1&b=%C3%A9+x&&c&=d")).containsExactly(
        new FormEncoding.Param("a", "1"), new FormEncoding.Param("b", "é x"), new FormEncoding.Param("c", ""),
        new FormEncoding.Param("", "d"));
    assertThat(FormEncoding.parse("a=%")).isNull();
    assertThat(FormEncoding.parse("a=%4")).isNull();
    assertThat(FormEncoding.parse("a=%zz")).isNull();
    assertThat(FormEncoding.parse("a=%C3")).isNull();
    assertThat(FormEncoding.query("https://h/p?x=1#frag")).isEqualTo("x=1");
    assertThat(FormEncoding.query("https://h/p")).isEmpty();
  }
}
