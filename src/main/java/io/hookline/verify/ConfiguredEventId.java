package io.hookline.verify;

import io.hookline.config.ConfigException;

/**
 * Where a configurable scheme (hmac, basic, apikey) finds the event id and type: a header, or a
 * JSON pointer into the body, or nowhere (null id: the pipeline then dedups on the body's SHA-256).
 */
final class ConfiguredEventId {
  static final ConfiguredEventId NONE = new ConfiguredEventId(null, null, null, null);

  private final String idHeader;
  private final EventFields fields;

  ConfiguredEventId(String idHeader, String idPointer, String typeHeader, String typePointer) {
    this.idHeader = idHeader;
    this.fields = EventFields.of(
        idHeader != null ? EventField.header(idHeader) : idPointer != null ? EventField.body(idPointer) : EventField.bodySha256(),
        typeHeader != null ? EventField.header(typeHeader) : typePointer != null ? EventField.body(typePointer) : EventField.none());
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

  EventFields fields() {
    return fields;
  }

  /** Called only after the request verified; an unusable id header is {@link Reason#MALFORMED_EVENT_ID}. */
  Verification accept(WebhookRequest request) {
    return fields.accept(request);
  }
}
