package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static io.hookline.management.admin.ConsoleBrowserTest.CHROMEDRIVER;
import static io.hookline.management.admin.ConsoleBrowserTest.CHROMIUM;
import static io.hookline.management.admin.ConsoleBrowserTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Chromium: it opens on the Overview, whose charts (uPlot, served from the jar) are
 * drawn and whose numbers are the API's; the Refused requests tab lists, shows (credentials masked)
 * and retries a refused request. Leaves target/admin-overview.png (copied where -Dhookline.overviewShot says).
 */
class OverviewConsoleBrowserTest {

  @Test
  void overviewChartsAndRefusedRequestsTab() throws Exception {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "chromium and chromium-driver are not installed");
    try (RecordingDestination app = new RecordingDestination(200);
         TestNode node = TestNode.start(AdminApiTest.yaml(app.url(), ""), AdminClient.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      for (int i = 0; i < 7; i++) {
        admin.webhook("ov-" + i, "push");
      }
      admin.webhook("other", "ov-other", "push", "{}".getBytes(StandardCharsets.UTF_8));
      admin.webhook("ov-0", "push"); // a duplicate
      for (int i = 0; i < 3; i++) {
        byte[] body = ("{\"forged\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(EventSigner.sign("github", "rotated-on-one-side", body, "forged-" + i, 0));
        headers.put("Authorization", "Bearer do-not-show");
        assertThat(node.post("gh", body, headers).statusCode()).isEqualTo(401);
      }
      AdminClient.eventually("the fleet tallies written", () -> {
        JsonArray steps = admin.ok("/admin/api/stats?since=24h&step=5m").getJsonArray("steps");
        long accepted = 0;
        long delivered = 0;
        for (int i = 0; i < steps.size(); i++) {
          accepted += steps.getJsonObject(i).getLong("accepted");
          delivered += steps.getJsonObject(i).getLong("delivered");
        }
        return accepted == 8 && delivered == 8;
      });

      WebDriver browser = ConsoleBrowserTest.chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(node.managementUrl() + "/admin/");
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(AdminClient.TOKEN);
        browser.findElement(By.id("login-button")).click();

        // Opens on the Overview: totals as the API sums them, three charts drawn on canvases.
        wait.until(d -> d.findElement(By.id("ov-accepted")).getText().equals("8"));
        assertThat(browser.findElement(By.id("nav-overview")).getAttribute("class")).contains("active");
        assertThat(browser.findElement(By.id("ov-duplicate")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("ov-refused")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("ov-delivered")).getText()).isEqualTo("8");
        assertThat(browser.findElement(By.id("ov-failed")).getText()).isEqualTo("0");
        assertThat(browser.findElement(By.id("ov-p99")).getText()).endsWith(" ms");
        assertThat(browser.findElement(By.cssSelector("#refused-body tr[data-reason='invalid_signature'] td.count")).getText())
            .isEqualTo("3");
        for (String chart : List.of("chart-requests", "chart-deliveries", "chart-latency")) {
          assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).hasSize(1);
          // 24 h in 5-minute steps: 288 points (289 when the range starts mid-step).
          assertThat(Integer.parseInt(browser.findElement(By.id(chart)).getAttribute("data-points"))).isBetween(288, 289);
        }
        assertThat(browser.findElement(By.id("chart-requests")).getText()).contains("accepted").contains("refused");
        // The canvas has ink on it: uPlot drew, not just laid out an empty box.
        Object inked = ((ChromeDriver) browser).executeScript(
            "const c = document.querySelector('#chart-requests canvas'); const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;");
        assertThat(((Number) inked).longValue()).isGreaterThan(1000);
        Path shot = Path.of("target", "admin-overview.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        String copyTo = System.getProperty("hookline.overviewShot");
        if (copyTo != null) {
          Files.copy(shot, Path.of(copyTo), StandardCopyOption.REPLACE_EXISTING);
        }

        // Refused requests: listed, opened with the credential masked, retried (still refused: 422 shown).
        browser.findElement(By.id("nav-requests")).click();
        wait.until(d -> rows(d, "requests-body").size() == 3);
        rows(browser, "requests-body").get(0).click();
        wait.until(d -> d.findElement(By.id("request-id")).getText().length() == 36);
        assertThat(browser.findElement(By.id("request-reason")).getText()).contains("invalid_signature").contains("401");
        assertThat(browser.findElement(By.id("request-body")).getText()).contains("\"forged\": 2");
        String headers = browser.findElement(By.id("request-headers")).getText();
        assertThat(headers).contains("X-GitHub-Delivery").contains("forged-2").contains("****").doesNotContain("do-not-show");
        browser.findElement(By.id("retry-request")).click();
        wait.until(d -> d.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).contains("Still refused (invalid_signature)");

        // The 422 is the one network error expected; nothing else may reach the console.
        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .filter(e -> !e.getMessage().contains("422")).toList();
        assertThat(problems).as("browser console").isEmpty();
      } finally {
        browser.quit();
      }
    }
  }
}
