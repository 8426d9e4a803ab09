package io.hookline.verify;

import io.hookline.config.ConfigException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A provider's YAML block (e.g. {@code hmac: {...}}), read strictly: unknown keys and values of the
 * wrong type are configuration errors naming the field, because a typo in a security setting must
 * not silently fall back to a default.
 */
public final class ProviderOptions {
  private final Map<String, Object> raw;
  private final String path;

  public ProviderOptions(Map<String, Object> raw, String path) {
    this.raw = raw == null ? Map.of() : raw;
    this.path = path;
  }

  public String path(String key) {
    return path + "." + key;
  }

  public void allowOnly(String... keys) {
    Set<String> allowed = Set.of(keys);
    for (Object key : raw.keySet()) {
      String name = String.valueOf(key);
      if (!allowed.contains(name)) {
        String problem = keys.length == 0
            ? "unknown key: this provider takes no options"
            : "unknown key (allowed: " + String.join(", ", new TreeSet<>(Arrays.asList(keys))) + ")";
        throw new ConfigException(path(name), problem);
      }
    }
  }

  public boolean has(String key) {
    return raw.containsKey(key);
  }

  /** A non-empty string, or {@code fallback} when the key is absent. */
  public String string(String key, String fallback) {
    if (!raw.containsKey(key)) {
      return fallback;
    }
    Object value = raw.get(key);
    if (!(value instanceof String s)) {
      throw new ConfigException(path(key), value == null ? "has no value" : "expected a string");
    }
    return s;
  }

  public String nonEmptyString(String key, String fallback) {
    String value = string(key, fallback);
    if (value != null && value.isEmpty()) {
      throw new ConfigException(path(key), "must not be empty");
    }
    return value;
  }

  public String requiredString(String key) {
    String value = nonEmptyString(key, null);
    if (value == null) {
      throw new ConfigException(path(key), "is required");
    }
    return value;
  }

  /** One of {@code choices} (case-insensitive, returned lower-case), or {@code fallback} when absent. */
  public String choice(String key, String fallback, String... choices) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    for (String choice : choices) {
      if (choice.equals(lower)) {
        return choice;
      }
    }
    throw new ConfigException(path(key), "'" + value + "' is not one of " + String.join(", ", choices));
  }

  /** A header name: an HTTP token, so a typo such as a trailing colon is caught at start-up. */
  public String headerName(String key, String fallback) {
    String value = nonEmptyString(key, fallback);
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean token = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        throw new ConfigException(path(key), "'" + value + "' is not a valid HTTP header name");
      }
    }
    return value;
  }

  /** A JSON pointer such as {@code /data/id}. */
  public String jsonPointer(String key) {
    String value = nonEmptyString(key, null);
    if (value != null) {
      try {
        JsonFields.parsePointer(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path(key), e.getMessage());
      }
    }
    return value;
  }
}
