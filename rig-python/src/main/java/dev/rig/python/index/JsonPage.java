package dev.rig.python.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a PEP 691 JSON project page ({@code application/vnd.pypi.simple.v1+json}): files with
 * hashes, Requires-Python, yanked, core-metadata (PEP 714, or the older dist-info-metadata) and
 * size (PEP 700).
 */
final class JsonPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonPage() {}

  static List<IndexFile> parse(byte[] body, URI pageUrl) throws IOException {
    JsonNode root = JSON.readTree(body);
    String apiVersion = root.path("meta").path("api-version").asText("1.0");
    if (!apiVersion.startsWith("1.")) {
      throw new IndexException(
          IndexHttp.show(pageUrl) + " speaks simple API " + apiVersion + "; rig reads version 1.x");
    }
    List<IndexFile> files = new ArrayList<>();
    for (JsonNode file : root.path("files")) {
      String filename = file.path("filename").asText();
      URI url = HtmlPage.stripFragment(pageUrl.resolve(file.path("url").asText()));
      Optional<String> sha256 =
          file.path("hashes").has("sha256")
              ? Optional.of(file.path("hashes").path("sha256").asText().toLowerCase(Locale.ROOT))
              : Optional.empty();
      Optional<Long> size =
          file.path("size").isIntegralNumber()
              ? Optional.of(file.path("size").asLong())
              : Optional.empty();
      Optional<String> requiresPython =
          file.path("requires-python").isTextual()
                  && !file.path("requires-python").asText().isBlank()
              ? Optional.of(file.path("requires-python").asText())
              : Optional.empty();
      JsonNode y = file.path("yanked");
      Optional<String> yanked =
          y.isTextual()
              ? Optional.of(y.asText())
              : y.asBoolean(false) ? Optional.of("") : Optional.empty();
      JsonNode metadata =
          file.has("core-metadata") ? file.path("core-metadata") : file.path("dist-info-metadata");
      boolean offered = metadata.isObject() || metadata.asBoolean(false);
      Optional<String> metadataSha256 =
          metadata.path("sha256").isTextual()
              ? Optional.of(metadata.path("sha256").asText().toLowerCase(Locale.ROOT))
              : Optional.empty();
      files.add(
          new IndexFile(
              filename, url, sha256, size, requiresPython, yanked, offered, metadataSha256));
    }
    return files;
  }
}
