package io.hookline.verify;

/**
 * Reads a verified request's event id and type as declared by two {@link EventField}s, in at most
 * one pass over the body. An id header with control characters or repeated is
 * {@link Reason#MALFORMED_EVENT_ID}; a type that is unusable is dropped (it is a label).
 */
public final class EventFields {
  private final EventField id;
  private final EventField type;
  private final JsonFields bodyFields;
  private final int idIndex;
  private final int typeIndex;

  private EventFields(EventField id, EventField type) {
    this.id = id;
    this.type = type;
    boolean idInBody = id.kind == EventField.Kind.BODY;
    boolean typeInBody = type.kind == EventField.Kind.BODY;
    if (idInBody && typeInBody) {
      bodyFields = JsonFields.of(id.value, type.value);
      idIndex = 0;
      typeIndex = 1;
    } else if (idInBody) {
      bodyFields = JsonFields.of(id.value);
      idIndex = 0;
      typeIndex = -1;
    } else if (typeInBody) {
      bodyFields = JsonFields.of(type.value);
      idIndex = -1;
      typeIndex = 0;
    } else {
      bodyFields = null;
      idIndex = -1;
      typeIndex = -1;
    }
  }

  public static EventFields of(EventField id, EventField type) {
    return new EventFields(id, type);
  }

  public EventField id() {
    return id;
  }

  public EventField type() {
    return type;
  }

  /** Called only once the request verified: the accepted outcome, or why its id is unusable. */
  public Verification accept(WebhookRequest request) {
    String idValue = null;
    String typeValue = null;
    if (id.kind == EventField.Kind.HEADER) {
      HeaderRead read = firstHeader(request, id.headers, true);
      if (read.problem() != null) {
        return read.problem();
      }
      idValue = read.value();
    }
    if (type.kind == EventField.Kind.HEADER) {
      HeaderRead read = firstHeader(request, type.headers, false);
      typeValue = read.problem() == null ? read.value() : null;
    } else if (type.kind == EventField.Kind.CONSTANT) {
      typeValue = type.value;
    }
    if (bodyFields != null) {
      String[] found = bodyFields.read(request.body());
      if (idIndex >= 0) {
        idValue = found[idIndex];
      }
      if (typeIndex >= 0) {
        typeValue = found[typeIndex];
      }
    }
    return EventIds.accept(idValue, typeValue);
  }

  private static HeaderRead firstHeader(WebhookRequest request, String[] names, boolean eventId) {
    HeaderRead read = null;
    for (String name : names) {
      read = eventId ? HeaderRead.eventId(request, name) : HeaderRead.of(request, name);
      if (!read.absent()) {
        return read;
      }
    }
    return read;
  }
}
