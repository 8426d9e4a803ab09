package io.hookline.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The Jackson-streaming implementation JsonFields had before its hand-written scan (kept here, in the
 * tests only, as the oracle {@link JsonFieldsJacksonPropertiesTest} compares the scan with): one pass
 * by JSON Pointer, first duplicate key wins, strings and integers as text, nulls past where the body
 * stops being JSON.
 */
final class JacksonJsonFieldsOracle {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String[][] pointers;

  private JacksonJsonFieldsOracle(String[][] pointers) {
    this.pointers = pointers;
  }

  /** @throws IllegalArgumentException for a pointer that is not "/..." (the whole document is never a field) */
  static JacksonJsonFieldsOracle of(String... pointers) {
    String[][] parsed = new String[pointers.length][];
    for (int i = 0; i < pointers.length; i++) {
      parsed[i] = JsonFields.parsePointer(pointers[i]);
    }
    return new JacksonJsonFieldsOracle(parsed);
  }

  /** One value per pointer, in the order given to {@link #of}; null where absent or not a scalar. */
  String[] read(byte[] body) {
    String[] found = new String[pointers.length];
    if (body == null || body.length == 0) {
      return found;
    }
    int[] all = new int[pointers.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    try (JsonParser parser = FACTORY.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY) {
        walk(parser, first, 0, all, all.length, found);
      }
    } catch (Exception notJson) {
      // Keep whatever was found before the body stopped being JSON.
    }
    return found;
  }

  /**
   * The parser is on the START token of a container at {@code depth}; {@code active[0..count)} are
   * the pointers whose first {@code depth} tokens led here. Returns true once every pointer is found.
   */
  private boolean walk(JsonParser parser, JsonToken container, int depth, int[] active, int count, String[] found)
      throws java.io.IOException {
    boolean object = container == JsonToken.START_OBJECT;
    JsonToken end = object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
    int index = 0;
    int[] next = null;
    while (true) {
      JsonToken token = parser.nextToken();
      if (token == null || token == end) {
        return false;
      }
      String key;
      if (object) {
        key = parser.currentName();
        token = parser.nextToken();
      } else {
        key = null;
      }
      int nextCount = 0;
      for (int a = 0; a < count; a++) {
        int p = active[a];
        String[] tokens = pointers[p];
        String wanted = tokens[depth];
        boolean matches = object ? wanted.equals(key) : JsonFields.isIndex(wanted, index);
        if (!matches) {
          continue;
        }
        if (tokens.length == depth + 1) {
          if (found[p] == null && (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT)) {
            found[p] = parser.getText();
            if (JsonFields.allFound(found)) {
              return true;
            }
          }
        } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          if (next == null) {
            next = new int[count];
          }
          next[nextCount++] = p;
        }
      }
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        if (nextCount > 0) {
          if (walk(parser, token, depth + 1, next, nextCount, found)) {
            return true;
          }
        } else {
          parser.skipChildren();
        }
      }
      index++;
    }
  }
}
