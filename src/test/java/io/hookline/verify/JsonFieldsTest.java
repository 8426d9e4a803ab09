package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFieldsTest {
  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTopLevelAndNestedScalarsInOnePass() {
    JsonFields fields = JsonFields.of("/id", "/type", "/event/type", "/data/items/1/sku", "/a~1b", "/m~0n");
    String[] found = fields.read(json("{\"data\":{\"items\":[{\"sku\":\"x\"},{\"sku\":\"y\"}]},\"event\":{\"type\":\"inner\","
        + "\"other\":[1,2,{\"type\":\"no\"}]},\"type\":\"outer\",\"id\":\"evt_1\",\"a/b\":\"slash\",\"m~n\":7}"));
    assertThat(found).containsExactly("evt_1", "outer", "inner", "y", "slash", "7");
  }

  @Test
  void ignoresNonScalarsAndMissingFields() {
    String[] found = JsonFields.of("/id", "/type", "/x", "/flag").read(json("{\"id\":{\"nested\":1},\"type\":[\"a\"],\"flag\":true}"));
    assertThat(found).containsOnlyNulls();
  }

  @Test
  void firstDuplicateWins() {
    assertThat(JsonFields.of("/id").readOne(json("{\"id\":\"first\",\"id\":\"second\"}"))).isEqualTo("first");
  }

  @Test
  void keepsWhatWasFoundBeforeTheBodyBroke() {
    assertThat(JsonFields.of("/id", "/type").read(json("{\"id\":\"evt_1\",\"type\": tru"))).containsExactly("evt_1", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "token=x&id=y", "[", "{", "\"id\"", "123", "{\"id\":", "\u0000\u0001"})
  void toleratesNonJson(String body) {
    assertThat(JsonFields.of("/id", "/a/b").read(json(body))).containsOnlyNulls();
  }

  @Test
  void toleratesDeepNesting() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThat(JsonFields.of("/id").readOne(json(deep))).isNull();
    assertThat(JsonFields.of("/0/0/0").readOne(json("[[[\"x\"]]]"))).isEqualTo("x");
  }

  @Test
  void decodesEscapesAndUtf8InKeysAndValues() {
    String[] found = JsonFields.of("/\u00e9", "/q", "/n").read(json(
        "{\"\\u00e9\":\"caf\u00e9 \\ud83d\\ude00 \\\"x\\\" \\/ \\t\",\"q\":\"\u2603\ud83d\ude00\",\"n\":-12}"));
    assertThat(found).containsExactly("caf\u00e9 \ud83d\ude00 \"x\" / \t", "\u2603\ud83d\ude00", "-12");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"id\":01}", "{\"id\":-}", "{\"id\":1.}", "{\"id\":\"a\u0001\"}", "{\"id\":\"\\x\"}",
      "{\"id\":\"\\u12\"}", "{\"id\" \"x\"}", "{\"x\":1,}", "{\"x\":[1,],\"id\":\"a\"}", "{\"x\":truex,\"id\":\"a\"}",
      "{'id':'a'}", "{\"x\":1 /* c */,\"id\":\"a\"}"})
  void stopsWhereTheGrammarBreaksAsJacksonDoes(String body) {
    assertThat(JsonFields.of("/id").readOne(json(body))).isNull();
  }

  @Test
  void numbersOtherThanIntegersAreNotIds() {
    assertThat(JsonFields.of("/a", "/b", "/c").read(json("{\"a\":1.5,\"b\":1e3,\"c\":-0}"))).containsExactly(null, null, "-0");
  }

  @Test
  void stopsAtInvalidUtf8() {
    byte[] overlong = {'{', '"', 'x', '"', ':', '"', (byte) 0xC1, (byte) 0x81, '"', ',', '"', 'i', 'd', '"', ':', '"', 'a', '"', '}'};
    byte[] truncated = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xE2, (byte) 0x98, '"', '}'};
    assertThat(JsonFields.of("/id").readOne(overlong)).isNull();
    assertThat(JsonFields.of("/id").readOne(truncated)).isNull();
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '"', 'i', 'd', '"', ':', '7', '}'};
    assertThat(JsonFields.of("/id").readOne(bom)).isEqualTo("7");
  }

  @Test
  void skipsLargeSubtreesToReachALaterField() {
    String bulk = "{\"items\":[" + "{\"k\":\"v\\\"}\",\"n\":[1,2.5,true,null,{}]},".repeat(200) + "{}]}";
    assertThat(JsonFields.of("/data/x", "/id").read(json("{\"data\":" + bulk + ",\"id\":\"evt_9\"}"))).containsExactly(null, "evt_9");
  }

  @Test
  void readsWhatJacksonReadsWhereverAQuoteEscapeControlOrWideCharacterSitsInALongString() {
    JacksonJsonFieldsOracle oracle = JacksonJsonFieldsOracle.of("/note", "/id");
    JsonFields scan = JsonFields.of("/note", "/id");
    byte[][] inserts = {{'"'}, {'\\', '"'}, {'\\', 'u', '0', '0', 'e', '9'}, {0x01}, {0x1f}, {0x7f}, {(byte) 0xC3, (byte) 0xA9},
        {(byte) 0xE2, (byte) 0x98, (byte) 0x83}, {(byte) 0xFF}, {(byte) 0xC3}};
    for (byte[] insert : inserts) {
      for (int at = 0; at <= 24; at++) {
        byte[] head = json("{\"note\":\"" + "abcdefghijklmnopqrstuvwx".substring(0, at));
        byte[] tail = json("abcdefghijklmnopqrstuvwx".substring(at) + "\",\"id\":\"evt_1\"}");
        byte[] body = new byte[head.length + insert.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(insert, 0, body, head.length, insert.length);
        System.arraycopy(tail, 0, body, head.length + insert.length, tail.length);
        assertThat(scan.read(body)).as("%s at %d", java.util.Arrays.toString(insert), at).containsExactly(oracle.read(body));
      }
    }
  }

  @Test
  void refusesPointersThatAreNotFields() {
    assertThatThrownBy(() -> JsonFields.of("id")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonFields.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonFields.of("/a~")).isInstanceOf(IllegalArgumentException.class);
  }
}
