package io.mediastore.samples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.samples.server.ReferenceServer;
import io.mediastore.samples.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.AddInterceptParameters;
import org.openqa.selenium.bidi.network.BytesValue;
import org.openqa.selenium.bidi.network.ContinueRequestParameters;
import org.openqa.selenium.bidi.network.Header;
import org.openqa.selenium.bidi.network.InterceptPhase;
import org.openqa.selenium.bidi.network.ProvideResponseParameters;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reference deployment as a person uses it, in headless Debian Chromium: the server runs in
 * process (embedding API) on ephemeral loopback ports with a temporary data directory; the browser
 * loads the web app from the web origin, which talks to the API origin. Steps run in order and
 * share the browser; a step is skipped when an earlier one it builds on failed.
 */
@ExtendWith(Chromium.Available.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceDeploymentIT {
  /** Short on purpose: a copied URL must stop working soon after a view. */
  private static final Duration PLAYBACK_TTL = Duration.ofSeconds(15);
  /** Far past the TTL and any verification leeway (the token service allows 30 s of clock skew). */
  private static final Duration PAST_EXPIRY = PLAYBACK_TTL.plus(Duration.ofMinutes(2));
  private static final Duration PACKAGING_TIMEOUT = Duration.ofSeconds(180);
  private static final String ADMIN = ReferenceServer.ADMIN;
  private static final String ADMIN_PASSWORD = "correct horse battery staple e2e";
  private static final String BOB = "bob";
  private static final String BOB_PASSWORD = "bob's own long passphrase 42";
  private static final String XSS_TITLE = "<img src=x onerror=alert(1)>";
  private static final String XSS_DESCRIPTION = "<script>window.__xss=1</script><b onmouseover=alert(2)>bold</b>";

  @TempDir static Path tmp;

  private final MovableClock clock = new MovableClock();
  private ReferenceServer server;
  private ChromeDriver browser;
  private HttpClient http;
  private Path downloads;
  private final List<String> consoleProblems = new ArrayList<>();

  // state carried from step to step
  private final Set<String> stepsDone = new LinkedHashSet<>();
  private Path clipA;
  private String titleA;
  private String assetA;
  private URI keyUrlA;
  private URI masterUrlA;
  private String noteId;

  /** On a failure: a screenshot, the page's DOM and the browser console under target/e2e-failures/. */
  @RegisterExtension
  final TestWatcher evidence = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (browser == null) {
        return;
      }
      try {
        Path dir = Files.createDirectories(Path.of("target", "e2e-failures"));
        String name = context.getRequiredTestMethod().getName();
        Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        Files.writeString(dir.resolve(name + ".html"), browser.getPageSource());
        Files.write(dir.resolve(name + ".console.txt"), browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::toString).collect(Collectors.toList()));
      } catch (IOException | RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  };

  @BeforeAll
  void start() throws Exception {
    Chromium.binary();
    Chromium.driver();
    clipA = TestMedia.clip(tmp.resolve("clip-a.mp4"), 5, 440);
    server = ReferenceServer.start(ServerConfig.builder()
        .dataDir(Files.createDirectories(tmp.resolve("data")))
        .bindAddress("127.0.0.1")
        .apiPort(0)
        .webPort(0)
        .tokenTtlForPlayback(PLAYBACK_TTL)
        .clock(clock)
        .build());
    http = HttpClient.newBuilder()
        .sslContext(trusting(server.trustStore()))
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    downloads = Files.createDirectories(tmp.resolve("downloads"));
    browser = Chromium.start(Files.createDirectories(tmp.resolve("profile")), downloads);
  }

  @AfterAll
  void stop() {
    try {
      if (browser != null) {
        browser.quit(); // ends chromedriver and every Chromium process it started
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void firstAdminSignsInWithTheOneTimePasswordAndMustChangeIt() throws IOException {
    char[] oneTime = server.initialAdminPassword().orElseThrow(() -> new AssertionError("a fresh data dir creates the first admin"));
    browser.get(server.webUri().toString());
    waitFor("login-username");
    snap("1-sign-in");
    signIn(ADMIN, new String(oneTime));
    Arrays.fill(oneTime, '\0');

    // the app holds the user on the password page until the one-time password is replaced
    waitFor("new-password");
    snap("2-forced-password-change");
    browser.get(page("#/assets"));
    waitFor("new-password");
    type("new-password", ADMIN_PASSWORD);
    type("new-password-confirm", "not the same");
    click("change-password-submit");
    waitForText("error", "differ");
    type("new-password-confirm", ADMIN_PASSWORD);
    click("change-password-submit");
    waitFor("asset-list");
    assertTrue(browser.findElement(By.id("whoami")).getText().length() > 0, "the header names the signed-in user");
    assertNoCspViolations();
    stepsDone.add("admin");
  }

  @Test
  @Order(2)
  void uploadsAVideoWithProgressAndShowsPackagingUntilReady() throws Exception {
    requireSteps("admin");
    titleA = "E2E clip " + Long.toHexString(System.nanoTime());
    assetA = upload(clipA, titleA, "A five second test pattern");

    assertEquals(titleA, waitFor("asset-title").getText());
    List<String> seen = waitUntilReady();
    System.out.println("video states shown while packaging: " + seen);
    assertTrue(seen.stream().anyMatch(s -> !s.startsWith("ready")),
        "packaging progress was visible before the video was ready: " + seen);
    assertNoCspViolations();
    stepsDone.add("upload");
  }

  @Test
  @Order(3)
  void playsTheEncryptedStreamInHlsJs() throws IOException {
    requireSteps("upload");
    play();
    snap("3-asset-playing");
    List<String> resources = resourceUrls();
    assertTrue(resources.stream().anyMatch(u -> u.contains("/hls/" + assetA + "/keys/")),
        "hls.js fetched a content key: " + resources);
    assertTrue(resources.stream().anyMatch(u -> u.contains("/hls/" + assetA + "/") && u.contains(".ts")),
        "hls.js fetched segments: " + resources);
    assertNoCspViolations();
    stepsDone.add("play");
  }

  @Test
  @Order(4)
  void thePlayerAsksForANewTokenWhenTheKeyServerRefusesItsToken() throws Exception {
    requireSteps("play");
    // a second browser whose network the test controls (WebDriver BiDi): every key request that
    // carries the first view's token is answered 403, as the API does once a token has expired
    Path dir = Files.createDirectories(tmp.resolve("renewal"));
    ChromeDriver second = Chromium.start(Files.createDirectories(dir.resolve("profile")),
        Files.createDirectories(dir.resolve("downloads")), true);
    try (Network network = new Network(second)) {
      String webOrigin = server.webUri().getScheme() + "://" + server.webUri().getRawAuthority();
      java.util.concurrent.atomic.AtomicReference<String> firstToken = new java.util.concurrent.atomic.AtomicReference<>();
      List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> passed = java.util.Collections.synchronizedList(new ArrayList<>());
      second.get(page("#/login"));
      new WebDriverWait(second, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id("login-username")))
          .sendKeys(ADMIN);
      second.findElement(By.id("login-password")).sendKeys(ADMIN_PASSWORD);
      second.findElement(By.id("login-submit")).click();
      new WebDriverWait(second, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id("asset-list")));

      String keys = server.apiUri().resolve("/api/v1/hls/" + assetA + "/keys/").toString();
      // BiDi URL patterns match whole components, so intercept everything and pass on what is not a key
      network.addIntercept(new AddInterceptParameters(InterceptPhase.BEFORE_REQUEST_SENT));
      List<String> interceptErrors = java.util.Collections.synchronizedList(new ArrayList<>());
      network.onBeforeRequestSent(event -> {
        if (!event.isBlocked()) {
          return;
        }
        try {
          decide(network, event, keys, webOrigin, firstToken, refused, passed);
        } catch (RuntimeException e) {
          String url = event.getRequest().getUrl();
          interceptErrors.add(url.substring(0, url.indexOf('?') < 0 ? url.length() : url.indexOf('?')));
        }
      });

      // the view is opened by a hash change in the signed-in page: no document request is intercepted
      second.executeScript("location.hash = arguments[0]", "#/assets/" + assetA);
      WebElement player = new WebDriverWait(second, Duration.ofSeconds(30))
          .until(ExpectedConditions.visibilityOfElementLocated(By.id("player")));
      new WebDriverWait(second, Duration.ofSeconds(30), Duration.ofMillis(200)).until(d -> !passed.isEmpty());
      new WebDriverWait(second, Duration.ofSeconds(20)).until(d ->
          ((Number) second.executeScript("return arguments[0].readyState", player)).intValue() >= 2);
      Object started = second.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "arguments[0].play().then(() => done('playing'), (e) => done('play() failed: ' + e));", player);
      assertEquals("playing", started);
      new WebDriverWait(second, Duration.ofSeconds(30), Duration.ofMillis(200)).until(d ->
          ((Number) second.executeScript("return arguments[0].currentTime", player)).doubleValue() > 2.0);
      // requests the player cancelled while switching to the new token cannot be continued any more
      interceptErrors.forEach(e -> System.out.println("interception of a cancelled request: " + e));
      assertFalse(refused.isEmpty(), "the first token was refused at the key endpoint");
      assertFalse(passed.contains(firstToken.get()), "the key came with a new token");
      @SuppressWarnings("unchecked")
      List<String> requests = (List<String>) second.executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
      assertEquals(2, requests.stream().filter(u -> u.endsWith("/assets/" + assetA + "/playback")).count(),
          "one playback token for the view and one renewal: " + requests);
    } finally {
      second.quit();
    }
  }

  /** The interception rule of the renewal test: key requests with the first view's token get 403, all else passes. */
  private static void decide(Network network, org.openqa.selenium.bidi.network.BeforeRequestSent event, String keys,
      String webOrigin, java.util.concurrent.atomic.AtomicReference<String> firstToken, List<String> refused, List<String> passed) {
    String requestId = event.getRequest().getRequestId();
    String url = event.getRequest().getUrl();
    if (!url.startsWith(keys)) {
      network.continueRequest(new ContinueRequestParameters(requestId));
      return;
    }
    String token = token(URI.create(url));
    firstToken.compareAndSet(null, token);
    if (token.equals(firstToken.get())) {
      refused.add(token);
      network.provideResponse(new ProvideResponseParameters(requestId).statusCode(403).reasonPhrase("Forbidden")
          .headers(List.of(new Header("Access-Control-Allow-Origin", new BytesValue(BytesValue.Type.STRING, webOrigin)),
              new Header("Cache-Control", new BytesValue(BytesValue.Type.STRING, "no-store")))));
    } else {
      passed.add(token);
      network.continueRequest(new ContinueRequestParameters(requestId));
    }
  }

  @Test
  @Order(5)
  void downloadLinkDeliversTheUploadedBytes() throws Exception {
    requireSteps("upload");
    String expected = TestMedia.sha256(clipA);
    openAsset(assetA);

    // a reusable link, clicked in the browser: the file lands in the download directory
    click("download-link-button");
    WebElement link = waitForVisible("download-link");
    URI href = URI.create(link.getAttribute("href"));
    assertEquals(server.apiUri().getAuthority(), href.getAuthority(), "the link points at the API origin");
    link.click();
    Path file = awaitDownload(Files.size(clipA));
    assertEquals(expected, TestMedia.sha256(file), "downloaded bytes equal the upload");

    // the link carries its own token: no cookie needed
    HttpResponse<byte[]> again = get(href);
    assertEquals(200, again.statusCode());
    assertEquals(expected, sha256(again.body()));
    assertTrue(again.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));

    // a tampered token gets nothing
    HttpResponse<byte[]> tampered = get(withToken(href, tamper(token(href))));
    assertRefused(tampered, "tampered download token");

    // a single-use link works exactly once
    browser.findElement(By.id("download-single-use")).click();
    String previous = href.toString();
    click("download-link-button");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> !previous.equals(d.findElement(By.id("download-link")).getAttribute("href")));
    URI once = URI.create(browser.findElement(By.id("download-link")).getAttribute("href"));
    HttpResponse<byte[]> first = get(once);
    assertEquals(200, first.statusCode());
    assertEquals(expected, sha256(first.body()));
    assertRefused(get(once), "second use of a single-use link");
    assertNoCspViolations();
    stepsDone.add("download");
  }

  @Test
  @Order(6)
  void copiedPlaylistAndKeyUrlsStopWorkingWhenTheirTokenExpires() throws Exception {
    requireSteps("upload");
    // a new view of the asset gets a new playback token; copy its URLs from the browser's network log
    clearResourceTimings();
    openAsset(assetA);
    waitUntilReady();
    URI master = awaitResource("/hls/" + assetA + "/master.m3u8");
    browser.get(page("#/assets")); // leave the player so it stops renewing

    HttpResponse<byte[]> masterResponse = get(master);
    assertEquals(200, masterResponse.statusCode(), "a fresh playlist URL works outside the browser");
    String masterText = new String(masterResponse.body(), StandardCharsets.UTF_8);
    assertTrue(masterText.startsWith("#EXTM3U"), masterText);
    URI media = master.resolve(firstUri(masterText));
    HttpResponse<byte[]> mediaResponse = get(media);
    assertEquals(200, mediaResponse.statusCode());
    String mediaText = new String(mediaResponse.body(), StandardCharsets.UTF_8);
    Matcher key = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,.*?URI=\"([^\"]+)\"").matcher(mediaText);
    assertTrue(key.find(), "the stream is AES-128 encrypted: " + mediaText);
    URI keyUrl = media.resolve(key.group(1));
    URI segment = media.resolve(firstUri(mediaText));
    HttpResponse<byte[]> keyResponse = get(keyUrl);
    assertEquals(200, keyResponse.statusCode());
    assertEquals(16, keyResponse.body().length, "an AES-128 key");
    assertTrue(keyResponse.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    assertEquals(200, get(segment).statusCode());

    clock.advance(PAST_EXPIRY);
    HttpResponse<byte[]> expiredMaster = get(master);
    assertRefused(expiredMaster, "expired master playlist URL");
    assertTrue(new String(expiredMaster.body(), StandardCharsets.UTF_8).matches("(?s).*\"reason\"\\s*:\\s*\"EXPIRED\".*"),
        "refused because it expired: " + new String(expiredMaster.body(), StandardCharsets.UTF_8));
    assertRefused(get(media), "expired media playlist URL");
    assertRefused(get(segment), "expired segment URL");
    HttpResponse<byte[]> expiredKey = get(keyUrl);
    assertRefused(expiredKey, "expired key URL");
    assertEquals(0, expiredKey.body().length, "a refused key request has an empty body");
    masterUrlA = master;
    keyUrlA = keyUrl;
    stepsDone.add("expiry");
  }

  @Test
  @Order(7)
  void hostileTitlesRenderAsTextAndHostileSearchesMatchNothing() throws Exception {
    requireSteps("admin");
    Path note = Files.writeString(tmp.resolve("note.txt"), "plain text, nothing to see\n");
    String id = upload(note, XSS_TITLE, XSS_DESCRIPTION);
    noteId = id;
    assertEquals(XSS_TITLE, waitFor("asset-title").getText(), "the title shows as the literal text");
    assertEquals(XSS_DESCRIPTION, browser.findElement(By.id("asset-description")).getText());
    assertInert();
    snap("4-hostile-title-as-text");

    browser.get(page("#/assets?q=" + URLEncoder.encode("onerror", StandardCharsets.UTF_8)));
    WebElement item = new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#asset-list li[data-id='" + id + "']")));
    assertEquals(XSS_TITLE, item.findElement(By.className("asset-link")).getText());
    assertInert();

    // SQL injection strings in the search box and the kind filter change nothing
    for (String hostile : List.of("' OR '1'='1", "%' OR 1=1 --", "x'); DROP TABLE assets; --", "\\' UNION SELECT * FROM users --")) {
      searchFor(hostile);
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
          d.findElements(By.cssSelector("#asset-list li")).isEmpty() && d.findElement(By.id("asset-empty")).isDisplayed()
              || d.findElement(By.id("error")).isDisplayed());
      assertTrue(browser.findElements(By.cssSelector("#asset-list li")).isEmpty(), "no asset matches " + hostile);
    }
    browser.get(page("#/assets?kind=" + URLEncoder.encode("video' OR '1'='1", StandardCharsets.UTF_8)));
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
        "false".equals(d.findElement(By.id("asset-list")).getAttribute("aria-busy")));
    assertTrue(browser.findElements(By.cssSelector("#asset-list li")).isEmpty(), "a hostile kind filter lists nothing");
    searchFor(titleA == null ? "E2E" : titleA);
    if (assetA != null) {
      waitFor(By.cssSelector("#asset-list li[data-id='" + assetA + "']"));
    }

    // a state-changing request from the signed-in page without the CSRF header is refused
    Object csrf = ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {method: 'PATCH', credentials: 'include', headers: {'Content-Type': 'application/json'},"
            + " body: JSON.stringify({title: 'changed without CSRF token'})})"
            + ".then(r => r.json().then(b => done(r.status + ' ' + (b.error && b.error.code)))).catch(e => done('error ' + e));",
        server.apiUri().resolve("/api/v1/assets/" + id).toString());
    assertEquals("403 csrf", csrf);
    browser.get(page("#/assets/" + id));
    assertEquals(XSS_TITLE, waitFor("asset-title").getText(), "the refused request changed nothing");
    assertNoCspViolations();
    stepsDone.add("xss");
  }

  @Test
  @Order(8)
  void theListFiltersByKindAndPagesByCursor() throws IOException {
    requireSteps("upload", "xss");
    // two assets so far: the video and the text file with the hostile title
    browser.get(page("#/assets"));
    waitFor(By.cssSelector("#asset-list li[data-id='" + assetA + "']"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("kind-filter"))).selectByValue("video");
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("kind=video")
        && "false".equals(d.findElement(By.id("asset-list")).getAttribute("aria-busy")));
    List<String> kinds = browser.findElements(By.cssSelector("#asset-list li")).stream()
        .map(li -> li.getAttribute("data-kind")).collect(Collectors.toList());
    assertTrue(kinds.contains("video") && kinds.stream().allMatch("video"::equals), "only videos: " + kinds);

    // one asset per page: "Show more" follows the cursor until the list is complete
    browser.get(page("#/assets?limit=1"));
    waitFor(By.cssSelector("#asset-list li"));
    List<String> ids = new ArrayList<>();
    while (true) {
      List<String> now = browser.findElements(By.cssSelector("#asset-list li")).stream()
          .map(li -> li.getAttribute("data-id")).collect(Collectors.toList());
      assertEquals(ids.size() + 1, now.size(), "each page adds one asset");
      assertEquals(ids, now.subList(0, ids.size()), "earlier pages stay in place");
      ids = now;
      WebElement more = browser.findElement(By.id("load-more"));
      if (!more.isDisplayed()) {
        break;
      }
      int before = ids.size();
      more.click();
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
          d.findElements(By.cssSelector("#asset-list li")).size() > before || !d.findElement(By.id("load-more")).isDisplayed());
      if (browser.findElements(By.cssSelector("#asset-list li")).size() == before) {
        break; // the last cursor led to an empty page
      }
    }
    snap("7-asset-list");
    assertEquals(2, ids.size(), "both assets, each once: " + ids);
    assertEquals(2, new LinkedHashSet<>(ids).size(), "no asset twice: " + ids);
    assertNoCspViolations();
  }

  @Test
  @Order(9)
  void anotherUserSeesOnlyWhatIsSharedWithHimOrHisGroupAndCannotReuseHisTokenForOtherAssets() throws Exception {
    requireSteps("admin", "upload", "expiry");
    // the admin creates bob (no roles) in the admin page and shares a second video with him
    browser.get(page("#/admin"));
    type("new-user-username", BOB);
    type("new-user-displayname", "Bob Example");
    type("new-user-password", BOB_PASSWORD);
    click("new-user-submit");
    waitFor(By.cssSelector("#user-rows tr[data-username='" + BOB + "']"));
    // roles and the disabled flag of an existing user are edited in the same table
    type("new-user-username", "carol");
    type("new-user-password", "carol's initial passphrase 7");
    click("new-user-submit");
    By carol = By.cssSelector("#user-rows tr[data-username='carol']");
    waitFor(carol).findElement(By.className("edit-roles")).click();
    waitFor(By.cssSelector("#user-rows tr[data-username='carol'] input.role-edit[value='editor']")).click();
    browser.findElement(carol).findElement(By.className("save-roles")).click();
    // the table is drawn anew after each change: look the row up again each time
    new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d ->
        "editor".equals(d.findElement(carol).findElement(By.className("roles-cell")).getText()));
    new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(carol).findElement(By.xpath(".//button[text()='Disable']")).click();
      return true;
    });
    new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d ->
        "Disabled".equals(d.findElement(carol).findElement(By.className("status-cell")).getText()));

    // a group with bob in it, and the text file shared with the group
    type("new-group-name", "reviewers");
    click("new-group-submit");
    waitFor(By.cssSelector("#group-list li[data-group='reviewers']"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("member-group"))).selectByValue("reviewers");
    type("member-username", BOB);
    click("member-submit");
    waitForText("group-list", BOB);
    snap("5-admin");
    if (noteId != null) {
      openAsset(noteId);
      new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("share-type"))).selectByValue("group");
      type("share-principal", "reviewers");
      click("share-submit");
      waitFor(By.cssSelector("#share-list li[data-principal='reviewers']"));
    }

    Path clipB = TestMedia.clip(tmp.resolve("clip-b.mp4"), 4, 660);
    String assetB = upload(clipB, "Shared with Bob", "");
    type("share-principal", BOB);
    click("share-submit");
    waitFor(By.cssSelector("#share-list li[data-principal='" + BOB + "']"));
    waitUntilReady();

    // deleting asks once more, then the asset is gone for everyone
    String doomed = upload(Files.writeString(tmp.resolve("doomed.txt"), "short-lived\n"), "To be deleted", "");
    click("delete-button");
    click("delete-confirm");
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("#/assets"));
    waitFor(By.cssSelector("#asset-list li[data-id='" + assetA + "']"));
    assertTrue(browser.findElements(By.cssSelector("#asset-list li[data-id='" + doomed + "']")).isEmpty(), "deleted");
    browser.get(page("#/assets/" + doomed));
    waitFor("asset-unavailable");

    // the admin's own view of asset A: its playlist URL, copied, is tried in bob's signed-in browser below
    clearResourceTimings();
    openAsset(assetA);
    waitUntilReady();
    URI adminsMaster = awaitResource("/hls/" + assetA + "/master.m3u8");

    click("logout");
    waitFor("login-username");
    signIn(BOB, BOB_PASSWORD);
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d ->
        !d.findElements(By.id("asset-list")).isEmpty() || !d.findElements(By.id("new-password")).isEmpty());
    if (!browser.findElements(By.id("new-password")).isEmpty()) {
      type("new-password", BOB_PASSWORD + "!");
      type("new-password-confirm", BOB_PASSWORD + "!");
      click("change-password-submit");
    }
    waitFor(By.cssSelector("#asset-list li[data-id='" + assetB + "']"));
    if (noteId != null) {
      assertFalse(browser.findElements(By.cssSelector("#asset-list li[data-id='" + noteId + "']")).isEmpty(),
          "bob sees what is shared with his group");
    }
    assertTrue(browser.findElements(By.cssSelector("#asset-list li[data-id='" + assetA + "']")).isEmpty(),
        "the list does not show bob an asset he may not see");
    assertTrue(browser.findElement(By.id("nav-admin")).getAttribute("hidden") != null, "no admin page for bob");
    assertTrue(browser.findElement(By.id("nav-upload")).getAttribute("hidden") != null, "no upload offered to bob (no editor role)");

    // the admin's copied playlist URL is refused in bob's signed-in browser (his session cookie goes along) ...
    browser.get(adminsMaster.toString());
    assertEquals(403L, js("return performance.getEntriesByType('navigation')[0].responseStatus"));
    assertTrue(browser.getPageSource().contains("OTHER_USER"), browser.getPageSource());
    // ... while the same URL without a session still plays for whoever holds it (a bearer token, short-lived)
    assertEquals(200, get(adminsMaster).statusCode());

    searchFor(titleA);
    waitForVisible("asset-empty");

    browser.get(page("#/assets/" + assetA));
    waitForVisible("error");
    waitFor("asset-unavailable");
    assertTrue(browser.findElements(By.id("asset-title")).isEmpty(), "no title of an asset bob may not see");
    snap("6-not-visible-to-bob");
    assertFalse(browser.getPageSource().contains(titleA), "nothing of the asset reaches bob's page");

    // bob's own playback token is for asset B; it opens nothing of asset A
    clearResourceTimings();
    openAsset(assetB);
    waitUntilReady();
    URI masterB = awaitResource("/hls/" + assetB + "/master.m3u8");
    String bobToken = token(masterB);
    assertEquals(200, get(masterB).statusCode(), "bob's token works for asset B");
    HttpResponse<byte[]> key = get(withToken(keyUrlA, bobToken));
    assertRefused(key, "key of asset A with bob's token for asset B");
    assertEquals(0, key.body().length);
    assertRefused(get(withToken(masterUrlA, bobToken)), "playlist of asset A with bob's token for asset B");
    assertNoCspViolations();
  }

  @Test
  @Order(10)
  void repeatedFailedSignInsAreSlowedDownAndTheFormSaysForHowLong() {
    if (!browser.findElements(By.id("logout")).isEmpty() && browser.findElement(By.id("logout")).isDisplayed()) {
      click("logout");
    }
    browser.get(page("#/login"));
    String code = null;
    for (int attempt = 1; attempt <= 12 && !"rate_limited".equals(code); attempt++) {
      if (browser.findElement(By.id("error")).isDisplayed()) {
        click("error-dismiss");
      }
      type("login-username", "mallory");
      type("login-password", "guess number " + attempt);
      click("login-submit");
      code = waitForVisible("error").getAttribute("data-code");
      assertTrue("invalid_credentials".equals(code) || "rate_limited".equals(code), "attempt " + attempt + ": " + code);
    }
    assertEquals("rate_limited", code, "the server slows down repeated failures");
    assertTrue(browser.findElement(By.id("error-text")).getText().matches("Too many attempts\\. Try again in \\d+ s\\."),
        browser.findElement(By.id("error-text")).getText());
    assertFalse(browser.findElement(By.id("login-submit")).isEnabled(), "the form waits until the server allows the next try");
    assertNoCspViolations();
  }

  // ---- browser steps -------------------------------------------------------------------------

  /** Keeps a screenshot of the current page in target/e2e-screens/ (for people reviewing the UI). */
  private void snap(String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "e2e-screens"));
    Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  /** A URL of the web app: the origin, path "/" and the given hash route. */
  private String page(String hash) {
    return server.webUri().resolve("/") + hash;
  }

  private void signIn(String user, String password) {
    type("login-username", user);
    type("login-password", password);
    click("login-submit");
  }

  /** Uploads through the form; returns the new asset's id once its detail page shows. */
  private String upload(Path file, String title, String description) {
    browser.get(page("#/upload"));
    WebElement input = waitFor("upload-file");
    input.sendKeys(file.toAbsolutePath().toString());
    type("upload-title", title);
    if (!description.isEmpty()) {
      type("upload-description", description);
    }
    // record what the progress bar shows (the view is replaced once the upload is done)
    js("const p = document.getElementById('upload-progress'); window.__progress = [];"
        + "new MutationObserver(() => { if (!p.hidden) window.__progress.push(p.value); })"
        + ".observe(p, {attributes: true, attributeFilter: ['value', 'hidden']});");
    click("upload-submit");
    new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().matches(".*#/assets/[^/?]+$"));
    @SuppressWarnings("unchecked")
    List<Object> shown = (List<Object>) js("return window.__progress");
    System.out.println("upload progress shown for " + file.getFileName() + ": " + shown);
    assertFalse(shown.isEmpty(), "the progress bar was shown");
    assertEquals(100L, ((Number) shown.get(shown.size() - 1)).longValue(), "the progress bar ended at 100 %: " + shown);
    String url = browser.getCurrentUrl();
    String id = URLDecoder.decode(url.substring(url.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    waitFor("asset-title");
    return id;
  }

  /** Opens the asset's page anew (a new view: a new playback token). */
  private void openAsset(String id) {
    String target = page("#/assets/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    if (target.equals(browser.getCurrentUrl())) {
      browser.navigate().refresh(); // the same hash would not render the view again
    } else {
      browser.get(target);
    }
    waitFor("asset-title");
  }

  /** Polls #video-state until ready; returns the distinct state texts seen on the way. */
  private List<String> waitUntilReady() {
    List<String> seen = new ArrayList<>();
    new WebDriverWait(browser, PACKAGING_TIMEOUT, Duration.ofMillis(100)).until(d -> {
      WebElement state = d.findElement(By.id("video-state"));
      String code = state.getAttribute("data-state");
      String s = code + " " + state.getText();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
        seen.add(s);
      }
      if ("failed".equals(code)) {
        throw new AssertionError("packaging failed: " + seen);
      }
      return "ready".equals(code);
    });
    return seen;
  }

  private void play() {
    waitUntilReady();
    WebElement player = waitForVisible("player");
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
        ((Number) js("return arguments[0].readyState", player)).intValue() >= 2);
    Object started = ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "arguments[0].play().then(() => done('playing'), (e) => done('play() failed: ' + e));", player);
    assertEquals("playing", started);
    new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200)).until(d ->
        ((Number) js("return arguments[0].currentTime", player)).doubleValue() > 2.0);
    assertNull(js("return arguments[0].error && arguments[0].error.message", player), "no media error");
  }

  private void searchFor(String text) {
    browser.get(page("#/assets"));
    type("search", text);
    browser.findElement(By.id("search")).submit();
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
        d.getCurrentUrl().contains("q=") && "false".equals(d.findElement(By.id("asset-list")).getAttribute("aria-busy")));
  }

  /** No payload ran: no alert, no element injected, no global set by a script. */
  private void assertInert() {
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
    assertEquals(0L, js("return document.querySelectorAll('#view img, #view script, #view b, img[src=\"x\"]').length"));
    assertEquals(Boolean.TRUE, js("return typeof window.__xss === 'undefined'"));
  }

  private Path awaitDownload(long size) {
    return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200)).until(d -> {
      try (Stream<Path> files = Files.list(downloads)) {
        return files.filter(p -> !p.getFileName().toString().endsWith(".crdownload"))
            .filter(p -> {
              try {
                return Files.size(p) == size;
              } catch (IOException e) {
                return false;
              }
            }).findFirst().orElse(null);
      } catch (IOException e) {
        return null;
      }
    });
  }

  // ---- small helpers -------------------------------------------------------------------------

  private WebElement waitFor(String id) {
    return waitFor(By.id(id));
  }

  private WebElement waitFor(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(by));
  }

  private WebElement waitForVisible(String id) {
    return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private void waitForText(String id, String part) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), part));
  }

  private void type(String id, String text) {
    WebElement el = waitFor(id);
    el.clear();
    el.sendKeys(text);
  }

  private void click(String id) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  private List<String> resourceUrls() {
    return (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
  }

  private void clearResourceTimings() {
    js("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(2000)");
  }

  private URI awaitResource(String part) {
    try {
      String url = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100)).until(d ->
          resourceUrls().stream().filter(u -> u.contains(part)).findFirst().orElse(null));
      return URI.create(url);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page fetched no " + part + "; it fetched " + resourceUrls()
          + "; #video-state: " + browser.findElement(By.id("video-state")).getText(), e);
    }
  }

  private void requireSteps(String... steps) {
    for (String s : steps) {
      Assumptions.assumeTrue(stepsDone.contains(s), "skipped: the earlier step '" + s + "' did not pass");
    }
  }

  /** Fails on any Content-Security-Policy violation the browser reported (inline code, foreign origins). */
  private void assertNoCspViolations() {
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      if (m.contains("Content Security Policy") || m.contains("Refused to")) {
        consoleProblems.add(m);
      }
    }
    assertTrue(consoleProblems.isEmpty(), () -> "CSP violations: " + consoleProblems);
  }

  private HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertRefused(HttpResponse<byte[]> r, String what) {
    assertTrue(r.statusCode() == 401 || r.statusCode() == 403, what + ": expected 401/403, got " + r.statusCode());
  }

  private static String firstUri(String playlist) {
    return playlist.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
        .orElseThrow(() -> new AssertionError("no URI in playlist:\n" + playlist));
  }

  private static String token(URI uri) {
    return Arrays.stream(Optional.ofNullable(uri.getRawQuery()).orElse("").split("&"))
        .filter(p -> p.startsWith("token=")).map(p -> URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8))
        .findFirst().orElseThrow(() -> new AssertionError("no token in " + uri));
  }

  private static URI withToken(URI uri, String token) {
    String query = Arrays.stream(Optional.ofNullable(uri.getRawQuery()).orElse("").split("&"))
        .filter(p -> !p.isEmpty() && !p.startsWith("token="))
        .collect(Collectors.joining("&"));
    String t = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    String raw = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + (query.isEmpty() ? t : query + "&" + t);
    return URI.create(raw);
  }

  /** Flips one character in the middle of the token. */
  private static String tamper(String token) {
    char[] c = token.toCharArray();
    int i = c.length / 2;
    c[i] = c[i] == 'A' ? 'B' : 'A';
    return new String(c);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static SSLContext trusting(KeyStore trustStore) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
