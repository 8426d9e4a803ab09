package io.hookline.verify;

import io.hookline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A shared key sent as-is, in a header (optionally after a prefix such as {@code Bearer }) or in a
 * query parameter of the URL. It authenticates the sender but not the body; keys in a URL also end
 * up in access logs, so prefer a header when the sender allows it.
 */
public final class ApiKeyVerifier implements SignatureVerifier {
  private final BasicAuthVerifier.Credential[] keys;
  private final String header;
  private final String queryParam;
  private final String prefix;
  private final EventFields eventId;
  private final Verification missing;
  private final Verification malformed;
  private final Verification noMatch;

  /** The registry's factory: options {@code header} or {@code query}, {@code prefix}, and where the event id is. */
  public static SignatureVerifier create(ProviderSetup setup) {
    ProviderOptions options = setup.options();
    options.allowOnly("header", "query", "prefix", "idHeader", "eventIdHeader", "eventIdPointer", "eventTypeHeader",
        "eventTypePointer");
    String header = options.headerName("header", null);
    String query = options.nonEmptyString("query", null);
    if ((header == null) == (query == null)) {
      throw new io.hookline.config.ConfigException(options.path(header == null ? "header" : "query"),
          "set exactly one of header (a header name) or query (a URL query parameter name)");
    }
    String prefix = options.string("prefix", "");
    return new ApiKeyVerifier(setup.secrets(), header, query, prefix, ConfiguredEventId.from(options).fields());
  }

  /** Exactly one of {@code header} and {@code queryParam} is non-null. */
  /** A provider's fixed token header (GitLab's {@code X-Gitlab-Token}): the secret as sent, compared in constant time. */
  public static SignatureVerifier token(List<Secret> secrets, String header, EventField id, EventField type) {
    return new ApiKeyVerifier(secrets, header, null, "", EventFields.of(id, type));
  }

  ApiKeyVerifier(List<Secret> secrets, String header, String queryParam, String prefix, EventFields eventId) {
    this.keys = secrets.stream()
        .map(s -> new BasicAuthVerifier.Credential(s, BasicAuthVerifier.digest(s.value().getBytes(StandardCharsets.UTF_8))))
        .toArray(BasicAuthVerifier.Credential[]::new);
    this.header = header;
    this.queryParam = queryParam;
    this.prefix = prefix;
    this.eventId = eventId;
    String where = header != null ? header + " header" : "query parameter '" + queryParam + "'";
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE, "API key " + where + " is missing");
    this.malformed = Verification.rejected(Reason.MALFORMED_SIGNATURE,
        "API key " + where + (prefix.isEmpty() ? " is empty" : " does not start with the expected prefix")
            + " or appears more than once");
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE, "API key does not match any active key for this source");
  }

  @Override
  public List<String> credentialHeaders() {
    return header == null ? List.of() : List.of(header);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    String presented;
    if (header != null) {
      HeaderRead read = HeaderRead.required(request, header, missing);
      if (read.problem() != null) {
        return read.problem();
      }
      String value = read.value();
      int from = read.from();
      int to = read.to();
      // The prefix may end in a blank that trimming already removed ("Bearer " alone): that is no key.
      if (from + prefix.length() > to || !value.regionMatches(true, from, prefix, 0, prefix.length())) {
        return malformed;
      }
      presented = value.substring(Text.skipSpaces(value, from + prefix.length(), to), to);
    } else {
      List<FormEncoding.Param> params = FormEncoding.parse(FormEncoding.query(request.publicUrl()));
      if (params == null) {
        return malformed;
      }
      presented = null;
      for (FormEncoding.Param p : params) {
        if (p.name().equals(queryParam)) {
          if (presented != null) {
            return malformed;
          }
          presented = p.value();
        }
      }
      if (presented == null) {
        return missing;
      }
      if (!prefix.isEmpty()) {
        if (!presented.regionMatches(true, 0, prefix, 0, prefix.length())) {
          return malformed;
        }
        presented = presented.substring(prefix.length());
      }
    }
    if (presented.isEmpty()) {
      return malformed;
    }
    byte[] digest = BasicAuthVerifier.digest(presented.getBytes(StandardCharsets.UTF_8));
    return BasicAuthVerifier.match(keys, digest, request.receivedAtMillis()) ? eventId.accept(request) : noMatch;
  }
}
