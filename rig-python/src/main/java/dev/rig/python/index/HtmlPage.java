package dev.rig.python.index;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEP 503 project page: every {@code <a>} is a file, its text the file name, its {@code
 * href} the URL (a {@code #sha256=} fragment the hash), and PEP 503/592/658/714 attributes say
 * Requires-Python, yanked and whether the core metadata is served beside it.
 */
final class HtmlPage {
  private static final Pattern ANCHOR =
      Pattern.compile("<a\\s([^>]*)>(.*?)</a\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern BASE =
      Pattern.compile("<base\\s[^>]*href\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE =
      Pattern.compile(
          "([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+)))?");
  private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);");

  private HtmlPage() {}

  static List<IndexFile> parse(String html, URI pageUrl) {
    URI base = pageUrl;
    Matcher b = BASE.matcher(html);
    if (b.find()) {
      base = pageUrl.resolve(unescape(b.group(1)));
    }
    List<IndexFile> files = new ArrayList<>();
    Matcher a = ANCHOR.matcher(html);
    while (a.find()) {
      Map<String, Optional<String>> attributes = attributes(a.group(1));
      Optional<String> href = attributes.getOrDefault("href", Optional.empty());
      if (href.isEmpty()) {
        continue;
      }
      String text = unescape(a.group(2).replaceAll("<[^>]*>", "")).strip();
      URI url = base.resolve(href.get().strip().replace(" ", "%20"));
      Optional<String> sha256 = hashFromFragment(url.getRawFragment());
      URI withoutFragment = stripFragment(url);
      String filename = text.isEmpty() ? lastSegment(withoutFragment) : text;
      Optional<String> requiresPython =
          attributes
              .getOrDefault("data-requires-python", Optional.empty())
              .filter(s -> !s.isBlank());
      Optional<String> yanked =
          attributes.containsKey("data-yanked")
              ? Optional.of(attributes.get("data-yanked").orElse(""))
              : Optional.empty();
      Optional<Optional<String>> metadata =
          Optional.ofNullable(attributes.get("data-core-metadata"))
              .or(() -> Optional.ofNullable(attributes.get("data-dist-info-metadata")));
      boolean offered =
          metadata.isPresent()
              && !metadata.get().map(v -> v.equalsIgnoreCase("false")).orElse(false);
      Optional<String> metadataSha256 =
          metadata.flatMap(v -> v).flatMap(HtmlPage::hashFromFragment);
      files.add(
          new IndexFile(
              filename,
              withoutFragment,
              sha256,
              Optional.empty(),
              requiresPython,
              yanked,
              offered,
              metadataSha256));
    }
    return files;
  }

  private static Map<String, Optional<String>> attributes(String text) {
    Map<String, Optional<String>> map = new HashMap<>();
    Matcher m = ATTRIBUTE.matcher(text);
    while (m.find()) {
      String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
      map.put(
          m.group(1).toLowerCase(Locale.ROOT), Optional.ofNullable(value).map(HtmlPage::unescape));
    }
    return map;
  }

  /**
   * The SHA-256 of {@code sha256=HEX} (a URL fragment or a metadata attribute), if that is what it
   * says.
   */
  static Optional<String> hashFromFragment(String fragment) {
    if (fragment == null) {
      return Optional.empty();
    }
    int eq = fragment.indexOf('=');
    if (eq < 0 || !fragment.substring(0, eq).equalsIgnoreCase("sha256")) {
      return Optional.empty();
    }
    return Optional.of(fragment.substring(eq + 1).toLowerCase(Locale.ROOT));
  }

  static URI stripFragment(URI url) {
    String s = url.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? url : URI.create(s.substring(0, hash));
  }

  static String lastSegment(URI url) {
    String path = url.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String unescape(String text) {
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String replacement;
      if (e.startsWith("#x") || e.startsWith("#X")) {
        replacement = new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
      } else if (e.startsWith("#")) {
        replacement = new String(Character.toChars(Integer.parseInt(e.substring(1))));
      } else {
        switch (e) {
          case "amp":
            replacement = "&";
            break;
          case "lt":
            replacement = "<";
            break;
          case "gt":
            replacement = ">";
            break;
          case "quot":
            replacement = "\"";
            break;
          case "apos":
            replacement = "'";
            break;
          default:
            replacement = m.group();
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
