package io.mediastore.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * Checks on the web app as it is served (a directory or the packaged jar), without a browser:
 * the page works under a CSP without 'unsafe-inline' or 'unsafe-eval', every file the page or a
 * module refers to is there, no script writes HTML from strings, and the element ids the
 * browser tests rely on exist.
 */
abstract class WebAssetsChecks {
  /** Ids the end-to-end tests use (the contract between the web app and its browser tests). */
  static final List<String> CONTRACT_IDS = List.of(
      "login-username", "login-password", "login-submit", "new-password", "change-password-submit",
      "search", "asset-list", "upload-file", "upload-title", "upload-submit", "upload-progress",
      "asset-title", "video-state", "player", "download-link-button", "download-link",
      "share-principal", "share-submit", "logout", "error");

  /** DOM sinks that parse strings as HTML or code. Vendored third-party code (vendor/) is not ours to scan. */
  static final Pattern FORBIDDEN_JS = Pattern.compile(
      "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new\\s+Function\\s*\\("
          + "|createContextualFragment|DOMParser|srcdoc|\\.style\\s*[.=\\[]|setAttribute\\(\\s*['\"](style|on\\w+)['\"]"
          + "|setTimeout\\(\\s*['\"`]|setInterval\\(\\s*['\"`]|javascript:");

  private static final Pattern IMPORT = Pattern.compile(
      "(?m)^\\s*(?:import|export)\\s[^;]*?from\\s+['\"]([^'\"]+)['\"]|import\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");
  private static final Pattern SCRIPT_SRC = Pattern.compile("\\.src\\s*=\\s*['\"]([^'\"]+)['\"]");
  private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]+)['\"]?\\s*\\)");

  /** The web root: the directory or jar folder that holds index.html. */
  abstract Path root() throws IOException;

  private Path root;

  private Path web() throws IOException {
    if (root == null) {
      root = root();
    }
    return root;
  }

  private String read(String relative) throws IOException {
    Path p = web().resolve(relative);
    assertTrue(Files.isRegularFile(p), () -> "missing in the web root: " + relative);
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private boolean exists(String relative) throws IOException {
    return Files.isRegularFile(web().resolve(relative));
  }

  private List<String> ownScripts() throws IOException {
    Path base = web();
    try (Stream<Path> files = Files.walk(base)) {
      return files.filter(Files::isRegularFile)
          .map(p -> base.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.endsWith(".js") && !p.startsWith("vendor/"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private Document index() throws IOException {
    return Jsoup.parse(read("index.html"));
  }

  @Test
  void indexHasNoInlineScriptStyleOrHandler() throws IOException {
    Document doc = index();
    for (Element script : doc.select("script")) {
      assertFalse(script.attr("src").isBlank(), "inline <script> in index.html: " + script);
      assertTrue(script.data().isBlank(), "a <script src> with inline content: " + script);
    }
    assertTrue(doc.select("style").isEmpty(), "inline <style> in index.html");
    for (Element el : doc.getAllElements()) {
      for (Attribute a : el.attributes()) {
        String name = a.getKey().toLowerCase(java.util.Locale.ROOT);
        assertFalse(name.equals("style"), "style attribute on <" + el.tagName() + ">");
        assertFalse(name.startsWith("on"), "inline event handler " + name + " on <" + el.tagName() + ">");
        assertFalse(a.getValue().trim().toLowerCase(java.util.Locale.ROOT).startsWith("javascript:"),
            "javascript: URL on <" + el.tagName() + ">");
      }
    }
    assertEquals("module", doc.selectFirst("script[src=js/main.js]").attr("type"), "main.js loads as an ES module");
  }

  @Test
  void everyFileTheAppRefersToIsServed() throws IOException {
    Document doc = index();
    Set<String> refs = new TreeSet<>();
    for (Element el : doc.select("[src], link[href]")) {
      refs.add(el.hasAttr("src") ? el.attr("src") : el.attr("href"));
    }
    for (String js : ownScripts()) {
      Matcher m = SCRIPT_SRC.matcher(read(js));
      while (m.find()) {
        refs.add(m.group(1));
      }
    }
    Matcher css = CSS_URL.matcher(read("app.css"));
    while (css.find()) {
      assertTrue(css.group(1).startsWith("data:"), "app.css may only use data: URLs, not " + css.group(1));
    }
    assertTrue(refs.contains("vendor/hls.min.js"), "the player loads the vendored hls.js");
    for (String ref : refs) {
      assertFalse(ref.contains("//"), "only same-origin relative references: " + ref);
      assertTrue(exists(ref), () -> "referenced but not served: " + ref);
    }
    assertTrue(exists("vendor/LICENSE"), "hls.js ships with its license");
  }

  @Test
  void moduleGraphResolvesAndEveryScriptIsUsed() throws IOException {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of("js/main.js"));
    while (!todo.isEmpty()) {
      String file = todo.pop();
      if (!seen.add(file)) {
        continue;
      }
      Matcher m = IMPORT.matcher(read(file));
      while (m.find()) {
        String spec = m.group(1) != null ? m.group(1) : m.group(2);
        assertTrue(spec.startsWith("./") || spec.startsWith("../"), () -> file + " imports a bare or absolute specifier: " + spec);
        assertTrue(spec.endsWith(".js"), () -> file + " imports without the .js extension: " + spec);
        String target = Path.of(file).resolveSibling(spec).normalize().toString().replace('\\', '/');
        assertTrue(exists(target), () -> file + " imports a missing module: " + spec);
        todo.push(target);
      }
    }
    assertEquals(new TreeSet<>(ownScripts()), new TreeSet<>(seen), "every script is reachable from js/main.js");
  }

  @Test
  void noScriptWritesHtmlOrCodeFromStrings() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String js : ownScripts()) {
      String[] lines = read(js).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = FORBIDDEN_JS.matcher(lines[i]);
        if (m.find()) {
          problems.add(js + ":" + (i + 1) + ": " + m.group() + "  |  " + lines[i].trim());
        }
      }
    }
    assertTrue(problems.isEmpty(), () -> "forbidden HTML/code sinks:\n" + String.join("\n", problems));
    assertFalse(ownScripts().isEmpty());
  }

  @Test
  void elementIdsOfTheBrowserContractExist() throws IOException {
    StringBuilder all = new StringBuilder(read("index.html"));
    for (String js : ownScripts()) {
      all.append('\n').append(read(js));
    }
    String text = all.toString();
    for (String id : CONTRACT_IDS) {
      boolean inHtml = text.contains("id=\"" + id + "\"");
      boolean inJs = text.contains("id: '" + id + "'");
      assertTrue(inHtml || inJs, () -> "no element with id " + id);
    }
  }
}
