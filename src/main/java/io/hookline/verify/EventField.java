package io.hookline.verify;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a provider puts its event id or type, declared once so the verifier reads it and the
 * README describes it from the same value: a header (the first present of several names), a JSON
 * pointer into the body, the body's SHA-256 (for an id: the provider sends none), a constant (for a
 * type), or nothing.
 */
public final class EventField {
  enum Kind { HEADER, BODY, JOINED, BODY_SHA256, CONSTANT, NONE }

  private static final EventField BODY_HASH = new EventField(Kind.BODY_SHA256, new String[0], null);
  private static final EventField NONE = new EventField(Kind.NONE, new String[0], null);

  final Kind kind;
  /** Header names (HEADER) or JSON pointers (BODY: one, JOINED: several). */
  final String[] names;
  /** The constant (CONSTANT) or the separator (JOINED). */
  final String value;

  private EventField(Kind kind, String[] names, String value) {
    this.kind = kind;
    this.names = names;
    this.value = value;
  }

  /** The first of these headers that is present (e.g. {@code X-Gitea-Delivery}, then {@code X-Forgejo-Delivery}). */
  public static EventField header(String... names) {
    return new EventField(Kind.HEADER, names.clone(), null);
  }

  /** A string or integer in the JSON body, by JSON Pointer ({@code /event/id}). */
  public static EventField body(String pointer) {
    JsonFields.parsePointer(pointer);
    return new EventField(Kind.BODY, new String[] {pointer}, null);
  }

  /**
   * Several body fields joined with {@code separator}, for providers whose id is a combination
   * (DocuSign: envelope id and generation time); absent when any part is.
   */
  public static EventField joined(char separator, String... pointers) {
    for (String pointer : pointers) {
      JsonFields.parsePointer(pointer);
    }
    return new EventField(Kind.JOINED, pointers.clone(), String.valueOf(separator));
  }

  /** No id from the provider: the dedup key is the SHA-256 of the body. */
  public static EventField bodySha256() {
    return BODY_HASH;
  }

  /** A fixed type, for providers that send one kind of event. */
  public static EventField constant(String value) {
    return new EventField(Kind.CONSTANT, new String[0], value);
  }

  public static EventField none() {
    return NONE;
  }

  /** For the README: {@code `X-Gitea-Delivery`}, {@code body `event.id`}, {@code SHA-256 of the body}. */
  public String describe() {
    return switch (kind) {
      case HEADER -> Arrays.stream(names).map(h -> "`" + h + "`").collect(Collectors.joining(", else "));
      case BODY -> "body `" + names[0].substring(1).replace('/', '.') + "`";
      case JOINED -> "body " + Arrays.stream(names).map(p -> "`" + p.substring(1).replace('/', '.') + "`")
          .collect(Collectors.joining(" + "));
      case BODY_SHA256 -> "SHA-256 of the body";
      case CONSTANT -> "`" + value + "`";
      case NONE -> "";
    };
  }
}
