package io.hookline.config;

/** A configuration error. The message always starts with the offending field's path. */
public final class ConfigException extends RuntimeException {
  private final String field;

  public ConfigException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The offending field's dotted path. */
  public String field() {
    return field;
  }
}
