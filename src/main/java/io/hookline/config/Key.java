package io.hookline.config;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configuration key, declared once (in {@link ConfigKeys}): where it lives, its type and
 * validation, its default, whether it is a secret, whether a {@code HOOKLINE_...} variable may set
 * it, what it means, and how to read it back from the bound record (for {@code describe()}).
 * The loader, the environment overrides, {@code describe()} and the README table all read this.
 *
 * @param <R> the record the key is bound into
 * @param <T> the value type
 */
public record Key<R, T>(Section section, String name, KeyType<T> type, Supplier<T> defaultValue,
                        String defaultDoc, boolean secret, boolean envOverride, String description,
                        Function<R, T> read) {

  /** The full path as errors and the README show it: {@code http.port}, {@code sources[].dedupTtl}. */
  public String path() {
    return section.child(name);
  }

  /** {@code HOOKLINE_HTTP_MAX_BODY_BYTES}; null if no variable sets this key. */
  public String envName() {
    if (!envOverride) {
      return null;
    }
    String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    return section.envPrefix() + snake;
  }

  /** The value as {@code describe()} shows it: secrets as {@code ****}, URLs without passwords. */
  public String render(R record) {
    T value = read.apply(record);
    if (value == null) {
      return "(none)";
    }
    return secret ? "****" : type.render(value);
  }
}
