package io.mediastore.samples.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
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
  private Chromium() {}

  static Path binary() {
    return tool("CHROME_BIN", "/usr/bin/chromium", "chromium");
  }

  static Path driver() {
    return tool("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
  }

  private static Path tool(String env, String fallback, String debianPackage) {
    String configured = System.getenv(env);
    Path p = Path.of(configured == null || configured.isBlank() ? fallback : configured);
    if (!Files.isExecutable(p)) {
      String why = p + " is missing (Debian: apt-get install -y " + debianPackage + "; or set " + env + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("the browser test must run under CI=true: " + why);
      }
      Assumptions.abort(why);
    }
    return p;
  }

  /** A fresh browser with its own profile directory; downloads go to {@code downloads}. */
  static ChromeDriver start(Path profile, Path downloads) {
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
