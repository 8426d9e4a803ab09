package io.hookline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code filter} and {@code transform} in the YAML: bound by the loader, compiled at start-up, errors name the field. */
class FilterTransformConfigTest {
  static HooklineConfig load(String destination) {
    return new ConfigLoader(Map.of()).load("""
        sources:
          - id: stripe
            provider: stripe
            secrets: [whsec_dGVzdA==]
            destinations:
              - id: ok
                url: http://127.0.0.1:9/ok
        """ + destination.indent(6));
  }

  @Test
  void filterAndTransformAreBoundAndCompile() {
    HooklineConfig config = load("""
        - id: big
          url: http://127.0.0.1:9/big
          filter: 'type == "invoice.paid" && body.data.object.amount_paid >= 10000'
          transform:
            body: '{"invoice": body.data.object.id}'
            headers: { X-Customer: 'body.data.object.customer' }
            path: '"/tenants/" + body.account'
        """);
    HooklineConfig.DestinationConfig d = config.sources().get(0).destinations().get(1);
    assertThat(d.filter()).startsWith("type ==");
    assertThat(d.transform().headers()).containsOnlyKeys("X-Customer");
    DestinationExpressions.compileAll(config);
    DestinationExpressions compiled = DestinationExpressions.of(config.sources().get(0), d);
    assertThat(compiled.filter().usesBody()).isTrue();
    assertThat(compiled.transform()).isNotNull();
    assertThat(DestinationExpressions.of(config.sources().get(0), config.sources().get(0).destinations().get(0)))
        .isSameAs(DestinationExpressions.NONE);
  }

  @Test
  void aBadExpressionStopsStartUpNamingTheFieldAndCelsMessage() {
    HooklineConfig config = load("""
        - id: big
          url: http://127.0.0.1:9/big
          transform:
            headers: { X-Customer: 'body.data.object.customer +' }
        """);
    assertThatThrownBy(() -> DestinationExpressions.compileAll(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].destinations[1].transform.headers.X-Customer")
        .hasMessageContaining("mismatched input '<EOF>'");
    assertThatThrownBy(() -> DestinationExpressions.compileAll(load("""
        - url: http://127.0.0.1:9/big
          filter: 'body.amount'
        - url: http://127.0.0.1:9/x
          filter: 'amount > 1'
        """))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].destinations[2].filter").hasMessageContaining("undeclared reference to 'amount'");
  }

  @Test
  void transformShapeErrorsAreConfigErrors() {
    assertThatThrownBy(() -> load("""
        - url: http://127.0.0.1:9/big
          transform: { bdy: 'body' }
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("sources[0].destinations[1].transform.bdy")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> load("""
        - url: http://127.0.0.1:9/big
          transform: { headers: { webhook-signature: '"x"' } }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("transform.headers.webhook-signature").hasMessageContaining("cannot be replaced");
    assertThatThrownBy(() -> load("""
        - url: http://127.0.0.1:9/big
          transform: {}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("needs at least one of body, headers, path");
  }
}
