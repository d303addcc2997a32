package dev.rig.build.memo;

import dev.rig.oci.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a build of one image made, as far as an output needs it to be served again: the reference
 * and manifest digest, how many layers are the image's own (for the summary line), every blob the
 * manifest needs with its size, and the files beside the layout (SBOMs).
 *
 * <p>Kept as plain lines ending with a digest of the lines before: a warm build reads it without a
 * JSON library, and a truncated or damaged entry is ignored, never trusted.
 */
public record MemoEntry(
    String reference,
    String digest,
    int ownLayers,
    List<MemoEntry.Blob> blobs,
    List<String> sideFiles) {
  private static final String FORMAT = "rig-build-memo/1";

  public MemoEntry {
    blobs = List.copyOf(blobs);
    sideFiles = List.copyOf(sideFiles);
  }

  /** A blob the image needs: {@code sha256:HEX} and its size. */
  public record Blob(String digest, long size) {}

  byte[] bytes() {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("reference ").append(reference).append('\n');
    text.append("digest ").append(digest).append('\n');
    text.append("layers ").append(ownLayers).append('\n');
    for (Blob blob : blobs) {
      text.append("blob ").append(blob.digest()).append(' ').append(blob.size()).append('\n');
    }
    for (String file : sideFiles) {
      text.append("side ").append(file).append('\n');
    }
    String body = text.toString();
    return (body + "check " + check(body) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static Optional<MemoEntry> parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int checkAt = text.lastIndexOf("check ");
    if (!text.startsWith(FORMAT + "\n")
        || checkAt < 0
        || !text.substring(checkAt).equals("check " + check(text.substring(0, checkAt)) + "\n")) {
      return Optional.empty();
    }
    String reference = null;
    String digest = null;
    int layers = -1;
    List<Blob> blobs = new ArrayList<>();
    List<String> side = new ArrayList<>();
    try {
      for (String line : text.substring(FORMAT.length() + 1, checkAt).split("\n")) {
        int space = line.indexOf(' ');
        String field = line.substring(0, space);
        String value = line.substring(space + 1);
        switch (field) {
          case "reference" -> reference = value;
          case "digest" -> digest = value;
          case "layers" -> layers = Integer.parseInt(value);
          case "blob" -> {
            int at = value.indexOf(' ');
            blobs.add(new Blob(value.substring(0, at), Long.parseLong(value.substring(at + 1))));
          }
          case "side" -> side.add(value);
          default -> {
            return Optional.empty();
          }
        }
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (reference == null || digest == null || layers < 0 || blobs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new MemoEntry(reference, digest, layers, blobs, side));
  }

  private static String check(String body) {
    return Digest.of(body.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
