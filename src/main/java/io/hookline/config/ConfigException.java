package io.hookline.config;

/** A configuration error. The message always starts with the offending field's path. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String field, String problem) {
    super(field + ": " + problem);
  }
}
