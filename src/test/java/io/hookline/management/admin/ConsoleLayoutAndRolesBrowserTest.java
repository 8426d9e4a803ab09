package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's headless Chromium: with an event open, the list's key columns stay
 * whole and beside the detail at common laptop and desktop sizes (checked by geometry); signed in
 * with the read-only token, no button that changes anything is shown. Leaves screenshots in
 * target/admin-console-WxH.png.
 */
class ConsoleLayoutAndRolesBrowserTest {
  private static final String YAML = """
      http: { port: 0, instances: 2 }
      delivery: { pollInterval: 200ms }
      sources:
        - id: github-main
          provider: github
          secrets: ["%1$s"]
          destinations:
            - { id: app-server, url: "%2$s", maxAttempts: 1, timeout: 2s }
            - { id: audit-archive, url: "%2$s", maxAttempts: 1, timeout: 2s }
      """;
  /** The columns an operator scans the list by; Provider id may give way to the detail. */
  private static final List<String> KEY_COLUMNS = List.of("col-received", "col-id", "col-source", "col-type", "col-deliveries");
  private static final int[][] SIZES = {{1366, 768}, {1440, 900}, {1920, 1080}};

  @Test
  void withAnEventOpenTheListKeepsItsKeyColumnsAtCommonScreenSizes() throws Exception {
    assumeTrue(new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
        "chromium and chromium-driver are not installed");
    try (RecordingDestination destination = new RecordingDestination(200);
         TestNode node = TestNode.start(YAML.formatted(SECRET, destination.url()), AdminClient.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      for (int i = 0; i < 5; i++) {
        // Real GitHub delivery ids are UUIDs: long unbreakable text, what squeezed the list before.
        admin.webhook("github-main", UUID.randomUUID().toString(), i % 2 == 0 ? "pull_request_review_comment" : "push",
            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      }
      AdminClient.eventually("all delivered", () -> node.count(
          "SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 10);
      WebDriver browser = ConsoleBrowserTest.chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(node.managementUrl() + "/admin/");
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(AdminClient.TOKEN);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("view-overview")).isDisplayed()); // the console opens on the Overview
        browser.findElement(By.id("nav-events")).click();
        wait.until(d -> d.findElements(By.cssSelector("#events-body tr")).size() == 5);
        browser.findElements(By.cssSelector("#events-body tr")).get(0).click();
        wait.until(d -> d.findElement(By.id("detail-id")).getText().length() == 36);

        for (int[] size : SIZES) {
          browser.manage().window().setSize(new Dimension(size[0], size[1]));
          String label = size[0] + "x" + size[1];
          wait.until(d -> ((Number) js(d, "return window.innerWidth;")).intValue() <= size[0]);
          JsonObject g = geometry(browser);
          assertThat(g.getInteger("viewport")).as(label + " viewport").isGreaterThan(size[0] - 40);
          JsonObject list = g.getJsonObject("list");
          JsonObject detail = g.getJsonObject("detail");
          // Side by side at these widths (the stacked layout is for narrower windows).
          assertThat(detail.getDouble("left")).as(label + ": the detail is beside the list").isGreaterThanOrEqualTo(list.getDouble("right"));
          assertThat(g.getDouble("tableRight")).as(label + ": the table fits its column").isLessThanOrEqualTo(list.getDouble("right") + 1);
          for (String column : KEY_COLUMNS) {
            JsonArray cells = g.getJsonObject("columns").getJsonArray(column);
            assertThat(cells).as(label + " " + column).isNotEmpty();
            for (Object o : cells) {
              JsonObject c = (JsonObject) o;
              String what = label + " " + column + " " + c.encode();
              assertThat(c.getDouble("width")).as(what + " is shown").isGreaterThan(0);
              assertThat(c.getDouble("right")).as(what + " ends inside the list").isLessThanOrEqualTo(list.getDouble("right") + 1);
              assertThat(c.getDouble("contentRight")).as(what + " content is not cut").isLessThanOrEqualTo(c.getDouble("right") + 1);
              assertThat(c.getDouble("right")).as(what + " is not under the detail").isLessThanOrEqualTo(detail.getDouble("left"));
            }
          }
          Path shot = Path.of("target", "admin-console-" + label + ".png");
          Files.createDirectories(shot.getParent());
          Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        }
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void theReadOnlyTokenSeesEverythingButNoButtonThatChangesAnything() throws Exception {
    assumeTrue(new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
        "chromium and chromium-driver are not installed");
    try (RecordingDestination destination = new RecordingDestination(500);
         TestNode node = TestNode.start(YAML.formatted(SECRET, destination.url()), AdminRolesTest.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      String id = admin.webhook("github-main", "ro-1", "push", "{}".getBytes(StandardCharsets.UTF_8));
      AdminClient.eventually("dead", () -> node.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'dead'") == 2);
      WebDriver browser = ConsoleBrowserTest.chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(node.managementUrl() + "/admin/");
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(AdminRolesTest.READ_TOKEN);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("view-overview")).isDisplayed());
        browser.findElement(By.id("nav-events")).click();
        wait.until(d -> d.findElements(By.cssSelector("#events-body tr")).size() == 1);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("read-only");

        browser.findElement(By.cssSelector("#events-body tr")).click();
        wait.until(d -> d.findElement(By.id("detail-id")).getText().equals(id));
        assertThat(browser.findElements(By.cssSelector("#detail li.attempt"))).hasSize(2);
        assertNoneShown(browser, "#replay-event, button.replay-delivery");

        browser.findElement(By.id("nav-dead")).click();
        wait.until(d -> d.findElements(By.cssSelector("#dead-body tr")).size() == 1);
        assertNoneShown(browser, "#bulk-dry-run, #bulk-replay, button.replay-dead");

        browser.findElement(By.id("nav-destinations")).click();
        wait.until(d -> d.findElements(By.cssSelector("#destinations-body tr")).size() == 2);
        assertNoneShown(browser, "#destinations-body button");

        // The same console signed in as admin offers them again.
        browser.findElement(By.id("sign-out")).click();
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(AdminClient.TOKEN);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("role")).getText().equals("admin"));
        wait.until(d -> d.findElements(By.cssSelector("#destinations-body button.pause")).stream().anyMatch(WebElement::isDisplayed));
      } finally {
        browser.quit();
      }
    }
  }

  private static void assertNoneShown(WebDriver browser, String css) {
    List<WebElement> shown = browser.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).toList();
    assertThat(shown).as("shown to the read-only role: " + css).isEmpty();
  }

  private static Object js(WebDriver d, String script) {
    return ((JavascriptExecutor) d).executeScript(script);
  }

  /** Bounding boxes (viewport pixels) of the list, the detail and the first rows' key cells. */
  private static JsonObject geometry(WebDriver d) {
    String script = """
        const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; };
        const columns = {};
        for (const name of arguments[0]) {
          columns[name] = [...document.querySelectorAll('#events-table .' + name)].slice(0, 4).map((cell) => {
            const b = box(cell);
            // The rightmost edge of what the cell holds (badges, text): beyond the cell = cut or spilling.
            b.contentRight = b.left + cell.scrollWidth;
            for (const child of cell.querySelectorAll('*')) b.contentRight = Math.max(b.contentRight, child.getBoundingClientRect().right);
            b.text = cell.textContent.slice(0, 40);
            return b;
          });
        }
        return JSON.stringify({ viewport: window.innerWidth, list: box(document.querySelector('.list')),
          detail: box(document.getElementById('detail')), tableRight: box(document.getElementById('events-table')).right,
          columns });
        """;
    return new JsonObject((String) ((JavascriptExecutor) d).executeScript(script, KEY_COLUMNS));
  }
}
