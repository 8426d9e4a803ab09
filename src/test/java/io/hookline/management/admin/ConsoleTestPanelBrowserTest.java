package io.hookline.management.admin;

import static io.hookline.management.admin.AdminClient.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's Test panel on a destination, in headless Chromium: pick a stored event, see whether
 * the configured filter matches, try a candidate transform, and get CEL's message for a bad one.
 */
class ConsoleTestPanelBrowserTest {
  @Test
  void pickAnEventAndTryTheFilterAndACandidateTransform() throws Exception {
    assumeTrue(new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
        "chromium and chromium-driver are not installed");
    String yaml = """
        http: { port: 0, instances: 2 }
        delivery: { pollInterval: 200ms }
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
            destinations:
              - { id: app, url: "%s", filter: 'body.action == "opened"' }
        """;
    try (RecordingDestination app = new RecordingDestination(200);
         TestNode node = TestNode.start(yaml.formatted(SECRET, app.url()), AdminClient.env(), TestServices.pgUrl())) {
      AdminClient admin = new AdminClient(node);
      String push = admin.webhook("push-1", "push", "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8));
      String issue = admin.webhook("issue-1", "issues", "{\"action\":\"opened\",\"issue\":{\"number\":42}}"
          .getBytes(StandardCharsets.UTF_8));
      AdminClient.eventually("the opened issue delivered", () -> app.receivedFor(issue).size() == 1);

      WebDriver browser = ConsoleBrowserTest.chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(node.managementUrl() + "/admin/");
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(AdminClient.TOKEN);
        browser.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElement(By.id("nav-destinations")).isDisplayed());
        browser.findElement(By.id("nav-destinations")).click();
        String row = "#destinations-body tr[data-source='gh'][data-destination='app']";
        wait.until(d -> !d.findElements(By.cssSelector(row + " button.test")).isEmpty());
        browser.findElement(By.cssSelector(row + " button.test")).click();
        wait.until(d -> d.findElement(By.id("test-panel")).isDisplayed()
            && d.findElements(By.cssSelector("#test-event option")).size() == 2);

        // The configured filter: the push is filtered out, the opened issue matches.
        Select picker = new Select(browser.findElement(By.id("test-event")));
        picker.selectByValue(push);
        browser.findElement(By.id("test-run")).click();
        wait.until(d -> d.findElement(By.id("test-matched")).getText().contains("filtered"));
        picker.selectByValue(issue);
        browser.findElement(By.id("test-run")).click();
        wait.until(d -> d.findElement(By.id("test-matched")).getText().contains("matches"));
        assertThat(browser.findElement(By.id("test-body")).getText()).contains("\"action\": \"opened\"");

        // A candidate transform: its body and path are shown, nothing is sent.
        browser.findElement(By.id("test-transform-body")).sendKeys("{\"number\": body.issue.number}");
        browser.findElement(By.id("test-transform-path")).sendKeys("\"/issues/\" + string(body.issue.number)");
        browser.findElement(By.id("test-run")).click();
        wait.until(d -> d.findElement(By.id("test-path")).getText().equals("/issues/42"));
        assertThat(browser.findElement(By.id("test-body")).getText()).contains("\"number\": 42").doesNotContain("action");
        assertThat(browser.findElement(By.id("test-headers")).getText()).contains("application/json");
        assertThat(app.receivedFor(issue)).hasSize(1);

        // A bad candidate filter: CEL's message, naming the field.
        browser.findElement(By.id("test-filter")).sendKeys("body.(");
        browser.findElement(By.id("test-run")).click();
        wait.until(d -> d.findElement(By.id("error")).isDisplayed());
        WebElement error = browser.findElement(By.id("error"));
        assertThat(error.getText()).contains("is not a valid CEL expression").contains("\"filter\"");

        // Only that expected 400 reached the browser console.
        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .filter(e -> !e.getMessage().contains("400")).toList();
        assertThat(problems).as("browser console").isEmpty();
      } finally {
        browser.quit();
      }
    }
  }
}
