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
  void refusesPointersThatAreNotFields() {
    assertThatThrownBy(() -> JsonFields.of("id")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonFields.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonFields.of("/a~")).isInstanceOf(IllegalArgumentException.class);
  }
}
