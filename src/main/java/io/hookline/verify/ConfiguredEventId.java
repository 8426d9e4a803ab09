package io.hookline.verify;

import io.hookline.config.ConfigException;

/**
 * Where a configurable scheme (hmac, basic, apikey) finds the event id and type: a header, or a
 * JSON pointer into the body, or nowhere (null id: the pipeline then dedups on the body's SHA-256).
 */
final class ConfiguredEventId {
  static final ConfiguredEventId NONE = new ConfiguredEventId(null, null, null, null);

  private final String idHeader;
  private final String typeHeader;
  private final JsonFields bodyFields;
  private final int idIndex;
  private final int typeIndex;

  ConfiguredEventId(String idHeader, String idPointer, String typeHeader, String typePointer) {
    this.idHeader = idHeader;
    this.typeHeader = typeHeader;
    if (idPointer != null && typePointer != null) {
      bodyFields = JsonFields.of(idPointer, typePointer);
      idIndex = 0;
      typeIndex = 1;
    } else if (idPointer != null) {
      bodyFields = JsonFields.of(idPointer);
      idIndex = 0;
      typeIndex = -1;
    } else if (typePointer != null) {
      bodyFields = JsonFields.of(typePointer);
      idIndex = -1;
      typeIndex = 0;
    } else {
      bodyFields = null;
      idIndex = -1;
      typeIndex = -1;
    }
  }

  /** Reads the options shared by the configurable schemes; {@code idHeader} and {@code eventIdHeader} are synonyms. */
  static ConfiguredEventId from(ProviderOptions options) {
    String idHeader = options.headerName("idHeader", null);
    String eventIdHeader = options.headerName("eventIdHeader", null);
    if (idHeader != null && eventIdHeader != null && !idHeader.equalsIgnoreCase(eventIdHeader)) {
      throw new ConfigException(options.path("eventIdHeader"),
          "idHeader and eventIdHeader are the same setting; give it once");
    }
    String header = idHeader != null ? idHeader : eventIdHeader;
    String pointer = options.jsonPointer("eventIdPointer");
    if (header != null && pointer != null) {
      throw new ConfigException(options.path("eventIdPointer"),
          "set either a header or eventIdPointer for the event id, not both");
    }
    String typeHeader = options.headerName("eventTypeHeader", null);
    String typePointer = options.jsonPointer("eventTypePointer");
    if (typeHeader != null && typePointer != null) {
      throw new ConfigException(options.path("eventTypePointer"),
          "set either eventTypeHeader or eventTypePointer, not both");
    }
    return new ConfiguredEventId(header, pointer, typeHeader, typePointer);
  }

  String idHeader() {
    return idHeader;
  }

  /** Called only after the request verified; a repeated id or type header is still refused as ambiguous. */
  Verification accept(WebhookRequest request) {
    String id = null;
    String type = null;
    if (idHeader != null) {
      HeaderRead read = HeaderRead.of(request, idHeader);
      if (read.problem() != null) {
        return read.problem();
      }
      id = read.value();
    }
    if (typeHeader != null) {
      HeaderRead read = HeaderRead.of(request, typeHeader);
      if (read.problem() != null) {
        return read.problem();
      }
      type = read.value();
    }
    if (bodyFields != null) {
      String[] found = bodyFields.read(request.body());
      if (idIndex >= 0) {
        id = found[idIndex];
      }
      if (typeIndex >= 0) {
        type = found[typeIndex];
      }
    }
    return Verification.accepted(EventIds.id(id), EventIds.clean(type));
  }
}
