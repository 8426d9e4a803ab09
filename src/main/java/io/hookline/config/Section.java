package io.hookline.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A mapping in the YAML ({@code http}, {@code sources[]}, ...) and the keys declared in it, in
 * declaration order. Declaring a key here is what makes it allowed, overridable and documented.
 */
public final class Section {
  private final String path;
  private final String envPrefix;
  private final List<Key<?, ?>> keys = new ArrayList<>();

  Section(String path, String envPrefix) {
    this.path = path;
    this.envPrefix = envPrefix;
  }

  public String path() {
    return path;
  }

  String envPrefix() {
    return envPrefix;
  }

  String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public List<Key<?, ?>> keys() {
    return Collections.unmodifiableList(keys);
  }

  Key<?, ?> key(String name) {
    for (Key<?, ?> k : keys) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** A key with a fixed default (null = optional, absent means not set). */
  <R, T> Key<R, T> key(String name, KeyType<T> type, T def, String description, Function<R, T> read) {
    return add(name, type, () -> def, def == null ? "unset" : type.render(def), false, description, read);
  }

  /** A key whose default is computed (CPU count, a host name) or comes from another key. */
  <R, T> Key<R, T> key(String name, KeyType<T> type, Supplier<T> def, String defaultDoc, String description,
                       Function<R, T> read) {
    return add(name, type, def, defaultDoc, false, description, read);
  }

  /** A secret: never shown, and an empty value is an error (fail closed). */
  <R> Key<R, Secret> secret(String name, KeyType<Secret> type, String description, Function<R, Secret> read) {
    return add(name, type, () -> null, "unset", true, description, read);
  }

  /** Declared for documentation and unknown-key checks; bound by hand (lists of mappings, provider options). */
  <R, T> Key<R, T> structured(String name, String typeDoc, String defaultDoc, boolean envOverride, boolean secret,
                              String description, Function<R, T> read) {
    Key<R, T> k = new Key<>(this, name, KeyType.of(typeDoc, s -> {
      throw new IllegalStateException("bound by the loader");
    }), () -> null, defaultDoc, secret, envOverride, description, read);
    keys.add(k);
    return k;
  }

  /**
   * A list of URLs (env: comma-separated), each checked by {@code item} when bound; shown with
   * every password masked.
   */
  <R> Key<R, List<String>> urlList(String name, KeyType<String> item, String description, Function<R, List<String>> read) {
    KeyType<List<String>> type = KeyType.of("list of " + item.doc() + "s (env: comma-separated)", s -> {
      throw new IllegalStateException("bound by the loader");
    }, v -> v.stream().map(item::render).collect(java.util.stream.Collectors.joining(", ", "[", "]")));
    Key<R, List<String>> k = new Key<>(this, name, type, () -> null, "none", false, envPrefix != null, description, read);
    keys.add(k);
    return k;
  }

  private <R, T> Key<R, T> add(String name, KeyType<T> type, Supplier<T> def, String defaultDoc, boolean secret,
                               String description, Function<R, T> read) {
    Key<R, T> k = new Key<>(this, name, type, def, defaultDoc, secret, envPrefix != null, description, read);
    keys.add(k);
    return k;
  }
}
