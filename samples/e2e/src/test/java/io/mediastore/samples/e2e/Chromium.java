package io.mediastore.samples.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium and chromedriver ({@code apt-get install chromium chromium-driver}),
 * driven by Selenium without Selenium Manager (no driver download). Paths can be overridden with
 * the environment variables {@code CHROME_BIN} and {@code CHROMEDRIVER}. When they are missing the
 * test is skipped, except under {@code CI=true}, where it fails.
 */
final class Chromium {
  /** Selenium looks for CDP bindings matching the browser version; this test drives WebDriver only. */
  private static final java.util.logging.Logger CDP_FINDER = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private Chromium() {}

  static Path binary() {
    return tool("CHROME_BIN", "/usr/bin/chromium", "chromium");
  }

  static Path driver() {
    return tool("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
  }

  private static Path tool(String env, String fallback, String debianPackage) {
    String why = missing(env, fallback, debianPackage);
    if (why != null) {
      if (ci()) {
        throw new AssertionError("the browser test must run under CI=true: " + why);
      }
      Assumptions.abort(why);
    }
    return path(env, fallback);
  }

  private static Path path(String env, String fallback) {
    String configured = System.getenv(env);
    return Path.of(configured == null || configured.isBlank() ? fallback : configured);
  }

  /** Why the tool cannot run, or null when it can. */
  private static String missing(String env, String fallback, String debianPackage) {
    Path p = path(env, fallback);
    return Files.isExecutable(p) ? null : p + " is missing (Debian: apt-get install -y " + debianPackage + "; or set " + env + ")";
  }

  private static boolean ci() {
    return "true".equals(System.getenv("CI"));
  }

  /**
   * Reports every test of the class as skipped when Chromium or chromedriver is missing; under
   * CI=true it lets them run, and they fail in the class set-up.
   */
  static final class Available implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String why = missing("CHROME_BIN", "/usr/bin/chromium", "chromium");
      if (why == null) {
        why = missing("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
      }
      return why == null || ci() ? ConditionEvaluationResult.enabled("Chromium is installed (or CI=true)")
          : ConditionEvaluationResult.disabled(why);
    }
  }

  /** A fresh browser with its own profile directory; downloads go to {@code downloads}. */
  static ChromeDriver start(Path profile, Path downloads) {
    return start(profile, downloads, false);
  }

  /** As {@link #start(Path, Path)}; {@code bidi} opens the WebDriver BiDi channel (network interception). */
  static ChromeDriver start(Path profile, Path downloads, boolean bidi) {
    CDP_FINDER.setLevel(Level.OFF);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary().toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--ignore-certificate-errors", // the reference server's self-signed certificate
        "--autoplay-policy=no-user-gesture-required",
        "--user-data-dir=" + profile,
        "--window-size=1280,900", "--no-first-run", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter,HttpsUpgrades",
        "--lang=en-US");
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toString(),
        "download.prompt_for_download", false,
        "download.directory_upgrade", true,
        "safebrowsing.enabled", false));
    options.setExperimentalOption("excludeSwitches", List.of("enable-automation"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    if (bidi) {
      options.setCapability("webSocketUrl", true);
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver().toFile())
        .usingAnyFreePort()
        .withLogFile(new File(profile.getParent().toFile(), "chromedriver.log"))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
