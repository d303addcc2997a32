package dev.rig.build.memo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.ImageIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether an OCI layout still holds what a memo entry says a build wrote there: index.json names
 * the manifest under the image's reference, every blob is there with its size, and the SBOMs are
 * beside it. Sizes, not hashes: the same check the layout writer makes before it leaves a blob
 * alone, so a deleted or truncated blob is rebuilt and written again either way.
 */
public final class LayoutCheck {
  private LayoutCheck() {}

  public static boolean holds(Path layout, MemoEntry entry) {
    try {
      Optional<String> named = manifestNamed(layout.resolve("index.json"), entry.reference());
      if (!Files.isRegularFile(layout.resolve("oci-layout"))
          || !named.equals(Optional.of(entry.digest()))) {
        return false;
      }
      Path blobs = layout.resolve("blobs");
      for (MemoEntry.Blob blob : entry.blobs()) {
        Digest digest = Digest.parse(blob.digest());
        Path file = blobs.resolve(digest.algorithm()).resolve(digest.hex());
        if (!Files.isRegularFile(file) || Files.size(file) != blob.size()) {
          return false;
        }
      }
      for (String side : entry.sideFiles()) {
        Path file = layout.resolve(side);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      // An unreadable layout is rebuilt; the writer then says what is wrong with it.
      return false;
    }
  }

  /**
   * The digest of the manifest index.json names {@code reference} (the last such entry, as the
   * layout's readers take it). Read with the streaming parser: a warm build starts no data binding.
   */
  static Optional<String> manifestNamed(Path index, String reference) throws IOException {
    Optional<String> found = Optional.empty();
    try (JsonParser json = new JsonFactory().createParser(Files.readAllBytes(index))) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("manifests") && value == JsonToken.START_ARRAY) {
          while (json.nextToken() == JsonToken.START_OBJECT) {
            Optional<String> digest = Optional.empty();
            Optional<String> ref = Optional.empty();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String name = json.currentName();
              JsonToken token = json.nextToken();
              if (name.equals("digest") && token == JsonToken.VALUE_STRING) {
                digest = Optional.of(json.getText());
              } else if (name.equals("annotations") && token == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                  String key = json.currentName();
                  JsonToken annotation = json.nextToken();
                  if (key.equals(ImageIndex.REF_NAME) && annotation == JsonToken.VALUE_STRING) {
                    ref = Optional.of(json.getText());
                  } else {
                    json.skipChildren();
                  }
                }
              } else {
                json.skipChildren();
              }
            }
            if (ref.equals(Optional.of(reference)) && digest.isPresent()) {
              found = digest;
            }
          }
        } else {
          json.skipChildren();
        }
      }
    }
    return found;
  }
}
