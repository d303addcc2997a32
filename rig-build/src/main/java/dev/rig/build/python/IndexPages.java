package dev.rig.build.python;

import dev.rig.oci.net.RetryingGet;
import dev.rig.python.install.IndexCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a project's page of a PEP 503 simple index (HTML): each file's name, URL and the SHA-256
 * the page gives in the URL's fragment. Enough to find the files of a user's hashed lock; the
 * resolver has its own full index client.
 */
final class IndexPages {
  private static final Pattern ANCHOR =
      Pattern.compile("<a\\s+([^>]*)>([^<]*)</a>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HREF =
      Pattern.compile("href\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);

  /** One file of a project page. */
  record IndexFile(String fileName, URI url, Optional<String> sha256, boolean yanked) {}

  private final RetryingGet get;
  private final IndexCredentials credentials;

  IndexPages(RetryingGet get, IndexCredentials credentials) {
    this.get = get;
    this.credentials = credentials;
  }

  /** The files of {@code project} on {@code index} (a URL without credentials); empty on 404. */
  List<IndexFile> files(String index, String project) throws IOException {
    URI page = URI.create((index.endsWith("/") ? index : index + "/") + project + "/");
    Optional<RetryingGet.Body> body = get.open(page, 0, credentials.headersFor(page));
    if (body.isEmpty()) {
      return List.of();
    }
    String html;
    try (InputStream in = body.get().stream()) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<IndexFile> files = new ArrayList<>();
    Matcher anchor = ANCHOR.matcher(html);
    while (anchor.find()) {
      Matcher href = HREF.matcher(anchor.group(1));
      if (!href.find()) {
        continue;
      }
      String link = unescape(href.group(1));
      String fragment = "";
      int hash = link.indexOf('#');
      if (hash >= 0) {
        fragment = link.substring(hash + 1);
        link = link.substring(0, hash);
      }
      URI url = page.resolve(link);
      String name = unescape(anchor.group(2).strip());
      Optional<String> sha =
          fragment.startsWith("sha256=")
              ? Optional.of(fragment.substring(7).toLowerCase(Locale.ROOT))
              : Optional.empty();
      boolean yanked = anchor.group(1).toLowerCase(Locale.ROOT).contains("data-yanked");
      files.add(new IndexFile(name, url, sha, yanked));
    }
    return files;
  }

  private static String unescape(String html) {
    return html.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
  }
}
