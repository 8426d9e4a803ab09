package io.hookline.management.admin;

import static io.hookline.management.admin.AdminApiTest.assertError;
import static io.hookline.management.admin.AdminClient.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.ConfigException;
import io.hookline.config.ConfigLoader;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC "Admin API", Roles: the read token reads, the admin token does everything; audit lines name the role. */
class AdminRolesTest {
  static final String READ_TOKEN = "read-test-token-9876543210";

  static Map<String, String> env() {
    return AdminClient.env("HOOKLINE_MANAGEMENT_READ_TOKEN", READ_TOKEN);
  }

  @Test
  void theReadTokenReadsEverythingAndMutatesNothing() {
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = AdminApiTest.node(AdminApiTest.yaml(destination.url(), ""), env())) {
      AdminClient admin = new AdminClient(node);
      String id = admin.webhook("roles-1", "push");
      String read = "Bearer " + READ_TOKEN;
      for (String path : List.of("/admin/api/events", "/admin/api/events/" + id, "/admin/api/sources",
          "/admin/api/destinations", "/admin/api/whoami")) {
        assertThat(admin.send("GET", path, read, null).statusCode()).as(path).isEqualTo(200);
      }
      assertThat(new JsonObject(admin.send("GET", "/admin/api/whoami", read, null).body()).getString("role")).isEqualTo("read");
      assertThat(admin.ok("/admin/api/whoami").getString("role")).isEqualTo("admin");

      for (String[] call : new String[][] {{"/admin/api/events/" + id + "/replay", null},
          {"/admin/api/replay", "{\"source\":\"gh\"}"}, {"/admin/api/destinations/gh/app/pause", null}}) {
        HttpResponse<String> r = admin.send("POST", call[0], read, call[1]);
        assertError(r, 403, "forbidden", null);
        assertThat(r.body()).doesNotContain(READ_TOKEN).doesNotContain(TOKEN);
      }
      // Refused before anything happened: still one delivery, still closed.
      assertThat(admin.ok("/admin/api/events/" + id).getJsonArray("deliveries").getJsonObject(0).getInteger("round"))
          .isEqualTo(1);
      assertThat(admin.ok("/admin/api/destinations").getJsonArray("destinations").getJsonObject(0).getString("state"))
          .isEqualTo("closed");
      // A wrong token is still 401, whatever the method; the admin token still mutates.
      assertError(admin.send("POST", "/admin/api/replay", "Bearer " + READ_TOKEN + "x", "{\"source\":\"gh\"}"),
          401, "unauthorized", null);
      assertThat(admin.post("/admin/api/replay", "{\"source\":\"gh\",\"dryRun\":true}").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void auditLinesNameTheRoleNeverTheToken() {
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = AdminApiTest.node(AdminApiTest.yaml(destination.url(), ""), env())) {
      AdminClient admin = new AdminClient(node);
      String id = admin.webhook("roles-2", "push");
      ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("hookline.audit");
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
      lines.start();
      audit.addAppender(lines);
      try {
        admin.send("POST", "/admin/api/events/" + id + "/replay", "Bearer " + READ_TOKEN, null);
        assertThat(admin.post("/admin/api/events/" + id + "/replay", null).statusCode()).isEqualTo(202);
      } finally {
        audit.detachAppender(lines);
      }
      assertThat(lines.list).hasSize(1);
      assertThat(lines.list.get(0).getFormattedMessage()).contains("who=admin:").contains("action=replay-event")
          .doesNotContain(TOKEN).doesNotContain(READ_TOKEN);
    }
  }

  @Test
  void aReadTokenNeedsAnAdminTokenAndMustDifferFromIt() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("HOOKLINE_MANAGEMENT_READ_TOKEN", READ_TOKEN)).load("{}"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.readToken:")
        .hasMessageNotContaining(READ_TOKEN);
    assertThatThrownBy(() -> new ConfigLoader(Map.of("HOOKLINE_MANAGEMENT_READ_TOKEN", TOKEN,
        "HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN)).load("{}"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.readToken:")
        .hasMessageNotContaining(TOKEN);
    assertThat(new ConfigLoader(env()).load("{}").management().readToken().toString()).doesNotContain(READ_TOKEN);
  }
}
