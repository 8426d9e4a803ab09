package io.hookline.management.admin;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI router's request validation errors into SPEC's 400 {@code bad_parameter} naming
 * the parameter or body field. The library names a parameter only in its message ("... query
 * parameter limit ..."), and a body field only as the error's instance location ("/destination").
 */
final class ContractViolations {
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter ([^\\s.]+)");
  private static final Pattern PROPERTY = Pattern.compile("[Pp]roperty \"?'?([^\"'\\s]+)");

  private ContractViolations() {}

  static AdminFailure toFailure(ValidatorException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    Matcher m = PARAMETER.matcher(message);
    if (m.find()) {
      String name = m.group(1);
      return AdminFailure.badParameter(name, "parameter '" + name + "' is not valid: " + reason(e, message));
    }
    String field = bodyField(e);
    if (field == null) {
      return AdminFailure.badParameter("body", "the body must be a JSON object sent with Content-Type: application/json"
          + " (" + reason(e, message) + ")");
    }
    return AdminFailure.badParameter(field, "body field '" + field + "' is not valid: " + reason(e, message));
  }

  /** The body field the most specific error points at, or null for the body as a whole. */
  private static String bodyField(ValidatorException e) {
    if (!(e instanceof SchemaValidationException s) || s.getOutputUnit() == null) {
      return null;
    }
    List<OutputUnit> errors = s.getOutputUnit().getErrors();
    if (errors == null || errors.isEmpty()) {
      return null;
    }
    for (int i = errors.size() - 1; i >= 0; i--) {
      OutputUnit u = errors.get(i);
      String location = u.getInstanceLocation();
      if (location != null && location.startsWith("/") && location.length() > 1) {
        // "/status/1" names the field status.
        String first = location.substring(1).split("/", 2)[0];
        return first.replace("~1", "/").replace("~0", "~");
      }
      Matcher m = u.getError() == null ? null : PROPERTY.matcher(u.getError());
      if (m != null && m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static String reason(ValidatorException e, String message) {
    int at = message.indexOf("Reason: ");
    return at >= 0 ? message.substring(at + "Reason: ".length()) : message;
  }
}
