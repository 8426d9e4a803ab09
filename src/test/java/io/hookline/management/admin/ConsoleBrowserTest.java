package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless Chromium, as a person uses it: sign in, filter, open an
 * event, replay it and watch the new attempt appear; dead letters counted, then bulk-replayed with
 * progress; per-source counts. No JavaScript error may reach the browser's console. Leaves a
 * screenshot in target/admin-console.png (and copies it where -Dhookline.screenshot says).
 */
class ConsoleBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @Test
  void signInFilterOpenReplayAndBulkReplayDeadLetters() throws Exception {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "chromium and chromium-driver are not installed");
    String yaml = """
        http: { port: 0, instances: 2 }
        delivery: { pollInterval: 200ms }
        sources:
          - id: gh
            provider: github
            secrets: ["%1$s"]
            destinations:
              - { id: app, url: "%2$s", maxAttempts: 1, timeout: 2s }
          - id: other
            provider: github
            secrets: ["%1$s"]
            destinations:
              - { id: audit, url: "%3$s", maxAttempts: 1, timeout: 2s }
        """;
    try (RecordingDestination app = new RecordingDestination(200);
         RecordingDestination audit = new RecordingDestination(503);
         TestNode node = TestNode.start(yaml.formatted(SECRET, app.url(), audit.url()), AdminClient.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      for (int i = 0; i < 4; i++) {
        admin.webhook("push-" + i, "push", ("{\"ref\":\"refs/heads/main\",\"n\":" + i + ",\"pusher\":{\"name\":\"ada\"}}")
            .getBytes(StandardCharsets.UTF_8));
      }
      String issue = admin.webhook("issue-1", "issues", "{\"action\":\"opened\",\"issue\":{\"number\":42}}"
          .getBytes(StandardCharsets.UTF_8));
      String dead = admin.webhook("other", "audit-1", "push", "{\"audit\":true}".getBytes(StandardCharsets.UTF_8));
      AdminClient.eventually("all deliveries finished", () -> node.count(
          "SELECT count(*) FROM {schema}.deliveries WHERE status IN ('delivered', 'dead')") == 6);

      WebDriver browser = chromium();
      try {
        // The console re-renders the detail while it watches a replay: an element read mid-render is stale, read again.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(node.managementUrl() + "/admin/");

        // A wrong token is refused with a message (its 401 is the one network error expected).
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).contains("token");
        // The console log is read (and emptied) here: it holds that 401, so the final check can see errors.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).anyMatch(e -> e.getMessage().contains("401"));

        browser.findElement(By.id("token")).sendKeys(AdminClient.TOKEN);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> rows(d, "events-body").size() == 6);
        assertThat(browser.findElement(By.id("token")).isDisplayed()).isFalse();

        // Filter: source gh, type issues.
        new Select(browser.findElement(By.id("filter-source"))).selectByValue("gh");
        browser.findElement(By.id("filter-type")).sendKeys("issues");
        browser.findElement(By.id("apply-filters")).click();
        wait.until(d -> rows(d, "events-body").size() == 1);
        WebElement row = rows(browser, "events-body").get(0);
        assertThat(row.getAttribute("data-id")).isEqualTo(issue);
        assertThat(row.getText()).contains(issue.substring(issue.length() - 12)).contains("issues").contains("app: delivered");

        // Open it: headers, pretty-printed body, one attempt; replay it and see the second one appear.
        row.click();
        wait.until(d -> d.findElement(By.id("detail-id")).getText().equals(issue));
        assertThat(browser.findElement(By.id("event-body")).getText()).contains("\"action\": \"opened\"");
        assertThat(browser.findElement(By.id("detail")).getText()).contains("X-GitHub-Delivery").contains("issue-1");
        assertThat(browser.findElements(By.cssSelector("#detail li.attempt"))).hasSize(1);
        browser.findElement(By.cssSelector("button.replay-delivery[data-destination='app']")).click();
        wait.until(d -> d.findElements(By.cssSelector("#detail li.attempt")).size() == 2);
        wait.until(d -> d.findElement(By.cssSelector("#detail li.attempt[data-round='2']")).getText().contains("HTTP 200"));
        assertThat(app.receivedFor(issue)).hasSize(2);
        wait.until(d -> d.findElement(By.id("notice")).getText().contains("Replayed 1 delivery"));

        // Clear the filters, open an event to show in the screenshot.
        browser.findElement(By.id("clear-filters")).click();
        wait.until(d -> rows(d, "events-body").size() == 6);
        wait.until(d -> {
          rows(d, "events-body").get(1).click();
          return true;
        });
        wait.until(d -> d.findElement(By.id("detail-id")).getText().length() == 36);
        Path shot = Path.of("target", "admin-console.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        String copyTo = System.getProperty("hookline.screenshot");
        if (copyTo != null) {
          Files.copy(shot, Path.of(copyTo), StandardCopyOption.REPLACE_EXISTING);
        }

        // Dead letters: count first (dry run), then replay with progress once the destination is back.
        browser.findElement(By.id("nav-dead")).click();
        wait.until(d -> rows(d, "dead-body").size() == 1);
        assertThat(rows(browser, "dead-body").get(0).getAttribute("data-id")).isEqualTo(dead);
        browser.findElement(By.id("bulk-dry-run")).click();
        wait.until(d -> d.findElement(By.id("bulk-count")).getText().contains("1 dead delivery matches"));
        audit.answer(200);
        browser.findElement(By.id("bulk-replay")).click();
        wait.until(d -> d.findElement(By.id("job-progress")).getText().contains("done, 1 of 1 replayed"));
        AdminClient.eventually("the dead letter is delivered", () -> audit.receivedFor(dead).size() == 2);
        browser.findElement(By.id("nav-dead")).click();
        wait.until(d -> d.findElement(By.id("dead-empty")).isDisplayed());

        // Per-source counts.
        browser.findElement(By.id("nav-sources")).click();
        wait.until(d -> d.findElements(By.cssSelector("#sources-body tr[data-source='other'] td.count-delivered"))
            .stream().anyMatch(td -> td.getText().equals("1")));
        assertThat(browser.findElement(By.cssSelector("#sources-body tr[data-source='gh'] td.count-delivered")).getText())
            .isEqualTo("5");

        // Destinations: state and a pause/resume button that goes through the API.
        browser.findElement(By.id("nav-destinations")).click();
        String audits = "#destinations-body tr[data-source='other'][data-destination='audit']";
        wait.until(d -> cellIs(d, audits + " td.state", "closed"));
        browser.findElement(By.cssSelector(audits + " button.pause")).click();
        wait.until(d -> cellIs(d, audits + " td.state", "paused"));
        assertThat(admin.ok("/admin/api/destinations").getJsonArray("destinations").stream()
            .map(o -> (io.vertx.core.json.JsonObject) o).filter(o -> o.getString("id").equals("audit"))
            .findFirst().orElseThrow().getString("state")).isEqualTo("paused");
        browser.findElement(By.cssSelector(audits + " button.resume")).click();
        wait.until(d -> cellIs(d, audits + " td.state", "closed"));

        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(problems).as("browser console").isEmpty();
      } finally {
        browser.quit();
      }
    }
  }

  /** The cell shows this text (a re-render may replace it under us: then not yet). */
  private static boolean cellIs(WebDriver d, String css, String text) {
    try {
      return d.findElements(By.cssSelector(css)).stream().anyMatch(td -> td.getText().equals(text));
    } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
      return false;
    }
  }

  private static List<WebElement> rows(WebDriver d, String tbody) {
    return d.findElements(By.cssSelector("#" + tbody + " tr"));
  }

  static WebDriver chromium() throws Exception {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    Path profile = Files.createTempDirectory("hookline-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1366,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1366, 900));
    return driver;
  }
}
