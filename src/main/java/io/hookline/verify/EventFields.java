package io.hookline.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a verified request's event id and type as declared by two {@link EventField}s, in at most
 * one pass over the body. An id header with control characters or repeated is
 * {@link Reason#MALFORMED_EVENT_ID}; a type that is unusable is dropped (it is a label).
 */
public final class EventFields {
  private final EventField id;
  private final EventField type;
  /** Every body pointer either field needs, read in one pass; null when neither reads the body. */
  private final JsonFields bodyFields;
  /** Where the id's pointers start in {@link #bodyFields}' result (-1: none), and the type's. */
  private final int idIndex;
  private final int typeIndex;

  private EventFields(EventField id, EventField type) {
    this.id = id;
    this.type = type;
    List<String> pointers = new ArrayList<>();
    idIndex = readsBody(id) ? pointers.size() : -1;
    if (readsBody(id)) {
      pointers.addAll(List.of(id.names));
    }
    typeIndex = readsBody(type) ? pointers.size() : -1;
    if (readsBody(type)) {
      pointers.addAll(List.of(type.names));
    }
    bodyFields = pointers.isEmpty() ? null : JsonFields.of(pointers.toArray(new String[0]));
  }

  private static boolean readsBody(EventField field) {
    return field.kind == EventField.Kind.BODY || field.kind == EventField.Kind.JOINED;
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
      HeaderRead read = firstHeader(request, id.names, true);
      if (read.problem() != null) {
        return read.problem();
      }
      idValue = read.value();
    }
    if (type.kind == EventField.Kind.HEADER) {
      HeaderRead read = firstHeader(request, type.names, false);
      typeValue = read.problem() == null ? read.value() : null;
    } else if (type.kind == EventField.Kind.CONSTANT) {
      typeValue = type.value;
    }
    if (bodyFields != null) {
      String[] found = bodyFields.read(request.body());
      if (idIndex >= 0) {
        idValue = id.kind == EventField.Kind.JOINED ? joined(found, idIndex, id.names.length, id.value) : found[idIndex];
      }
      if (typeIndex >= 0) {
        typeValue = type.kind == EventField.Kind.JOINED ? joined(found, typeIndex, type.names.length, type.value) : found[typeIndex];
      }
    }
    return EventIds.accept(idValue, typeValue);
  }

  private static String joined(String[] found, int from, int count, String separator) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      if (found[i] == null) {
        return null;
      }
      if (i > from) {
        b.append(separator);
      }
      b.append(found[i]);
    }
    return b.toString();
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
