package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written scan of {@link JsonFields} reads what Jackson's streaming parser read
 * ({@link JacksonJsonFieldsOracle}): the same field values, on JSON documents of every shape the ids
 * and types live in (nested objects and arrays, duplicate keys, escapes and non-ASCII strings, numbers
 * of every form) and on the same documents cut short or with one ASCII byte changed.
 */
class JsonFieldsJacksonPropertiesTest {
  static final String[] POINTERS = {"/id", "/type", "/data/object/id", "/event/type", "/0", "/a~1b", "/payload/plainToken",
      "/items/1/id", "/event_id"};
  static final JsonFields SCAN = JsonFields.of(POINTERS);
  static final JacksonJsonFieldsOracle ORACLE = JacksonJsonFieldsOracle.of(POINTERS);
  static final String STRUCTURE = "{}[],:\"\\ 0123456789-+.eEtrufalsn/u";

  @Property(tries = 3000)
  void readsWhatJacksonReads(@ForAll("bodies") byte[] body) {
    assertThat(SCAN.read(body)).as(new String(body, StandardCharsets.UTF_8)).containsExactly(ORACLE.read(body));
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> documents = document(4).map(s -> s.getBytes(StandardCharsets.UTF_8));
    // One ASCII byte replaced by a structural one (multi-byte UTF-8 sequences stay whole), or the body cut short.
    Arbitrary<byte[]> changed = Combinators.combine(documents, Arbitraries.integers().between(0, 1 << 20),
        Arbitraries.of(STRUCTURE.toCharArray())).as((doc, at, c) -> {
          byte[] out = doc.clone();
          int i = at % out.length;
          if (out[i] >= 0) {
            out[i] = (byte) c.charValue();
          }
          return out;
        });
    Arbitrary<byte[]> cut = Combinators.combine(documents, Arbitraries.integers().between(0, 1 << 20))
        .as((doc, at) -> java.util.Arrays.copyOf(doc, at % (doc.length + 1)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, documents), net.jqwik.api.Tuple.of(2, changed), net.jqwik.api.Tuple.of(2, cut));
  }

  static Arbitrary<String> document(int depth) {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, object(depth)), net.jqwik.api.Tuple.of(1, array(depth)));
  }

  static Arbitrary<String> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, scalar()), net.jqwik.api.Tuple.of(2, object(depth - 1)),
        net.jqwik.api.Tuple.of(1, array(depth - 1)));
  }

  static Arbitrary<String> object(int depth) {
    Arbitrary<String> key = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of("id", "type", "data", "object", "event", "a/b", "payload", "plainToken",
            "items", "event_id", "0")),
        net.jqwik.api.Tuple.of(1, string()));
    Arbitrary<String> member = Combinators.combine(key, Arbitraries.of(":", " : ", ":\n"), Arbitraries.lazy(() -> value(depth)))
        .as((k, colon, v) -> quote(k) + colon + v);
    return member.list().ofMaxSize(6).map(ms -> "{" + String.join(",", ms) + "}");
  }

  static Arbitrary<String> array(int depth) {
    return Arbitraries.lazy(() -> value(depth)).list().ofMaxSize(5).map(vs -> "[" + String.join(", ", vs) + "]");
  }

  static Arbitrary<String> scalar() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, string().map(JsonFieldsJacksonPropertiesTest::quote)),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(l -> Long.toString(l))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "-0", "1.5", "-2.25e10", "1E+3", "3e-7", "true", "false", "null",
            "12345678901234567890123", "\"\\u00e9\\ud83d\\ude00\"", "\"a\\\"b\\\\c\\/d\\n\"")));
  }

  static Arbitrary<String> string() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '☃', '\u0007', '\n').ofMaxLength(40)
        .injectDuplicates(0.1);
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped as a sender would. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }
}
