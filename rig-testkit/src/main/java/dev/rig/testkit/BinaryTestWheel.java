package dev.rig.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A wheel made in a test for the installer (PEP 427): binary files (a native library, large data)
 * beside text ones, METADATA, WHEEL, a RECORD with real hashes, optional entry points and any
 * files, zipped with fixed times so the same inputs give the same bytes.
 */
public final class BinaryTestWheel {
  private final String name;
  private final String version;
  private final String tag;
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final StringBuilder requires = new StringBuilder();
  private String entryPoints = "";

  private BinaryTestWheel(String name, String version, String tag) {
    this.name = name;
    this.version = version;
    this.tag = tag;
  }

  /** A pure-Python wheel, {@code py3-none-any}. */
  public static BinaryTestWheel of(String name, String version) {
    return new BinaryTestWheel(name, version, "py3-none-any");
  }

  /** A wheel with another tag, e.g. {@code cp313-cp313-manylinux_2_17_x86_64}. */
  public static BinaryTestWheel tagged(String name, String version, String tag) {
    return new BinaryTestWheel(name, version, tag);
  }

  public BinaryTestWheel file(String path, String text) {
    return file(path, text.getBytes(StandardCharsets.UTF_8));
  }

  public BinaryTestWheel file(String path, byte[] bytes) {
    files.put(path, bytes.clone());
    return this;
  }

  /** A {@code Requires-Dist} line of METADATA. */
  public BinaryTestWheel requires(String requirement) {
    requires.append("Requires-Dist: ").append(requirement).append('\n');
    return this;
  }

  /** A console script: {@code name = target} in entry_points.txt. */
  public BinaryTestWheel consoleScript(String script, String target) {
    if (entryPoints.isEmpty()) {
      entryPoints = "[console_scripts]\n";
    }
    entryPoints += script + " = " + target + "\n";
    return this;
  }

  /** {@code NAME-VERSION-TAG.whl}, the name normalised as wheel file names want it. */
  public String fileName() {
    return normalized() + "-" + version + "-" + tag + ".whl";
  }

  private String normalized() {
    return name.replaceAll("[-_.]+", "_").toLowerCase(java.util.Locale.ROOT);
  }

  public byte[] bytes() {
    String distInfo = normalized() + "-" + version + ".dist-info";
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    all.put(
        distInfo + "/METADATA",
        ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n" + requires)
            .getBytes(StandardCharsets.UTF_8));
    all.put(
        distInfo + "/WHEEL",
        ("Wheel-Version: 1.0\nGenerator: rig-test\nRoot-Is-Purelib: "
                + tag.endsWith("-none-any")
                + "\nTag: "
                + tag
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    if (!entryPoints.isEmpty()) {
      all.put(distInfo + "/entry_points.txt", entryPoints.getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder record = new StringBuilder();
    all.forEach(
        (path, bytes) ->
            record
                .append(path)
                .append(",sha256=")
                .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest(bytes)))
                .append(',')
                .append(bytes.length)
                .append('\n'));
    record.append(distInfo).append("/RECORD,,\n");
    all.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> file : all.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTime(315532800000L);
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
