package io.hookline.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls a few scalar fields out of a JSON body by JSON Pointer (RFC 6901) in one streaming pass,
 * without building a tree, skipping every subtree no pointer leads into and stopping as soon as
 * all fields are found. Anything that is not JSON (form bodies, garbage, truncation) simply yields
 * nulls for what was not found: providers' bodies are data, not something to fail on.
 *
 * <p>String and integer values are returned as text; objects, arrays, booleans and null are not
 * ids and give null. With duplicate keys the first occurrence wins.
 */
public final class JsonFields {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String[][] pointers;

  private JsonFields(String[][] pointers) {
    this.pointers = pointers;
  }

  /** @throws IllegalArgumentException for a pointer that is not "/..." (the whole document is never a field) */
  public static JsonFields of(String... pointers) {
    String[][] parsed = new String[pointers.length][];
    for (int i = 0; i < pointers.length; i++) {
      parsed[i] = parsePointer(pointers[i]);
    }
    return new JsonFields(parsed);
  }

  public static String[] parsePointer(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.charAt(0) != '/') {
      throw new IllegalArgumentException("a JSON pointer starts with '/', e.g. /data/id");
    }
    List<String> tokens = new ArrayList<>();
    int start = 1;
    while (true) {
      int slash = pointer.indexOf('/', start);
      String raw = slash < 0 ? pointer.substring(start) : pointer.substring(start, slash);
      tokens.add(unescape(raw));
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return tokens.toArray(new String[0]);
  }

  private static String unescape(String token) {
    if (token.indexOf('~') < 0) {
      return token;
    }
    StringBuilder out = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '~') {
        char next = i + 1 < token.length() ? token.charAt(i + 1) : 0;
        if (next == '0') {
          out.append('~');
        } else if (next == '1') {
          out.append('/');
        } else {
          throw new IllegalArgumentException("'~' must be followed by 0 or 1 in a JSON pointer");
        }
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** One value per pointer, in the order given to {@link #of}; null where absent or not a scalar. */
  public String[] read(byte[] body) {
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

  /** Single-pointer convenience. */
  public String readOne(byte[] body) {
    return read(body)[0];
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
        boolean matches = object ? wanted.equals(key) : isIndex(wanted, index);
        if (!matches) {
          continue;
        }
        if (tokens.length == depth + 1) {
          if (found[p] == null && (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT)) {
            found[p] = parser.getText();
            if (allFound(found)) {
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

  private static boolean isIndex(String token, int index) {
    if (token.isEmpty() || token.length() > 10 || (token.length() > 1 && token.charAt(0) == '0')) {
      return false;
    }
    long value = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return value == index;
  }

  private static boolean allFound(String[] found) {
    for (String f : found) {
      if (f == null) {
        return false;
      }
    }
    return true;
  }
}
