package io.hookline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.HooklineConfig;
import io.hookline.expression.Expressions.ResultKind;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CEL layer on its own: compile-time errors, the variables, JSON in and out, the cost bound. */
class ExpressionsTest {
  static final String STRIPE = """
      {"id":"evt_1","type":"invoice.paid","account":"acct_9",
       "data":{"object":{"id":"in_1","customer":"cus_7","amount_paid":12500,"currency":"eur","paid":true,
       "lines":{"data":[{"amount":10000},{"amount":2500}]}}}}""";
  static final String GITHUB = """
      {"action":"opened","repository":{"full_name":"acme/api","private":false},
       "pull_request":{"number":42,"draft":false,"base":{"ref":"main"},"labels":[{"name":"deploy"}]},
       "sender":{"login":"octocat"}}""";
  static final String SHOPIFY = """
      {"id":820982911946154508,"email":"jon@example.com","total_price":"199.00","currency":"USD",
       "shipping_address":{"country_code":"DE"},"line_items":[{"sku":"A-1","quantity":2}],"note":null}""";

  static EventContext event(String type, String body, Map<String, String> headers) {
    return new EventContext("stripe", "0190-id", "evt_1", type, Instant.parse("2026-12-07T00:00:00Z"),
        () -> headers, body == null ? null : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  static boolean filter(String source, EventContext e) throws ExpressionException {
    return Expressions.compile(source, "f", ResultKind.BOOL).evalBool(e);
  }

  @Test
  void stripeFilterReadsTypeAndNestedNumbersAgainstIntLiterals() throws Exception {
    EventContext e = event("invoice.paid", STRIPE, Map.of());
    assertThat(filter("type == \"invoice.paid\" && body.data.object.amount_paid >= 10000", e)).isTrue();
    assertThat(filter("body.data.object.amount_paid >= 20000.5", e)).isFalse();
    assertThat(filter("body.data.object.lines.data.exists(l, l.amount == 2500)", e)).isTrue();
    assertThat(filter("type.startsWith(\"customer.\")", e)).isFalse();
  }

  @Test
  void githubFilterOnHeadersAndLists() throws Exception {
    EventContext e = event(null, GITHUB, Map.of("x-github-event", "pull_request"));
    assertThat(filter("headers[\"x-github-event\"] == \"pull_request\" && body.action == \"opened\""
        + " && body.pull_request.labels.exists(l, l.name == \"deploy\")", e)).isTrue();
    assertThat(filter("body.repository.full_name.matches(\"^acme/\") && !body.pull_request.draft", e)).isTrue();
  }

  @Test
  void shopifyFilterGuardsMissingFieldsWithHas() throws Exception {
    EventContext e = event("orders/create", SHOPIFY, Map.of());
    assertThat(filter("double(body.total_price) >= 100.0 && body.shipping_address.country_code in [\"DE\", \"AT\"]", e))
        .isTrue();
    assertThat(filter("has(body.customer) && body.customer.tags == \"vip\"", e)).isFalse();
    assertThat(filter("body.note == null", e)).isTrue();
    assertThatThrownBy(() -> filter("body.customer.tags == \"vip\"", e))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("customer");
  }

  @Test
  void theOtherVariables() throws Exception {
    EventContext e = event("invoice.paid", "not json", Map.of());
    assertThat(filter("body == null && source == \"stripe\" && id == \"0190-id\" && providerEventId == \"evt_1\"", e))
        .isTrue();
    assertThat(filter("receivedAt > timestamp(\"2026-01-01T00:00:00Z\")", e)).isTrue();
    assertThat(filter("type == null", event(null, "{}", Map.of()))).isTrue();
  }

  @Test
  void aBadExpressionIsAConfigErrorNamingTheFieldWithCelsMessage() {
    assertThatThrownBy(() -> Expressions.compile("body.amount >= (1", "sources[0].destinations[0].filter", ResultKind.BOOL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].destinations[0].filter").hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> Expressions.compile("nosuchvar == 1", "x.filter", ResultKind.BOOL))
        .isInstanceOf(ConfigException.class).hasMessageContaining("undeclared reference to 'nosuchvar'");
    assertThatThrownBy(() -> Expressions.compile("source + \"x\"", "x.filter", ResultKind.BOOL))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must evaluate to bool");
    assertThatThrownBy(() -> Expressions.compile("{\"a\": 1}", "x.transform.path", ResultKind.STRING))
        .isInstanceOf(ConfigException.class).hasMessageContaining("x.transform.path");
  }

  @Test
  void theBodyIsParsedOnlyWhenAnExpressionReadsIt() throws Exception {
    EventContext e = event("invoice.paid", STRIPE, Map.of());
    Expression typeOnly = Expressions.compile("type == \"invoice.paid\"", "f", ResultKind.BOOL);
    assertThat(typeOnly.usesBody()).isFalse();
    assertThat(typeOnly.evalBool(e)).isTrue();
    assertThat(e.bodyParsed()).isFalse();
    Expression withBody = Expressions.compile("body.account == \"acct_9\"", "f", ResultKind.BOOL);
    assertThat(withBody.usesBody()).isTrue();
    assertThat(withBody.evalBool(e)).isTrue();
    assertThat(e.bodyParsed()).isTrue();
  }

  @Test
  void evaluationIsBoundedInCost() {
    StringBuilder big = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 5000; i++) {
      big.append(i == 0 ? "" : ",").append(i);
    }
    big.append("]}");
    EventContext e = event("t", big.toString(), Map.of());
    assertThatThrownBy(() -> filter("body.items.all(i, body.items.all(j, i + j >= 0))", e))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("Iteration budget exceeded");
    assertThatThrownBy(() -> Expressions.compile("1 + ".repeat(2000) + "1", "x.filter", ResultKind.BOOL))
        .isInstanceOf(ConfigException.class).hasMessageContaining("x.filter");
  }

  @Test
  void transformBuildsJsonBodyHeadersAndPath() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Customer", "body.data.object.customer");
    headers.put("X-Amount", "body.data.object.amount_paid");
    Transform t = Transform.compile(new HooklineConfig.Transform(
        "{\"invoice\": body.data.object.id, \"amount\": body.data.object.amount_paid, \"paid\": body.data.object.paid,"
            + " \"at\": receivedAt, \"none\": null}",
        headers, "\"/tenants/\" + body.account"), "t");
    OutgoingMessage m = t.apply(event("invoice.paid", STRIPE, Map.of()), Buffer.buffer(STRIPE), "text/plain");
    assertThat(m.body().toString()).isEqualTo(
        "{\"invoice\":\"in_1\",\"amount\":12500,\"paid\":true,\"at\":\"2026-12-07T00:00:00Z\",\"none\":null}");
    assertThat(m.contentType()).isEqualTo("application/json");
    assertThat(m.headers()).containsExactly(Map.entry("X-Customer", "cus_7"), Map.entry("X-Amount", "12500"));
    assertThat(m.pathSuffix()).isEqualTo("/tenants/acct_9");

    Transform headersOnly = Transform.compile(new HooklineConfig.Transform(null, Map.of("X-T", "type"), null), "t");
    OutgoingMessage same = headersOnly.apply(event("invoice.paid", STRIPE, Map.of()), Buffer.buffer(STRIPE), "text/plain");
    assertThat(same.body().toString()).isEqualTo(STRIPE);
    assertThat(same.contentType()).isEqualTo("text/plain");
  }

  @Test
  void aFailingTransformSaysWhichPartAndWhy() throws Exception {
    Transform t = Transform.compile(new HooklineConfig.Transform("body.data.object.id", Map.of(),
        "\"/\" + body.missing.field"), "t");
    assertThatThrownBy(() -> t.apply(event("x", STRIPE, Map.of()), Buffer.buffer(STRIPE), null))
        .isInstanceOf(ExpressionException.class).hasMessageStartingWith("path: ").hasMessageContaining("missing");
  }
}
