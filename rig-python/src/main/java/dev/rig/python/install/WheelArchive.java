package dev.rig.python.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An open wheel (PEP 427): its file entries in name order, its {@code .dist-info} directory and the
 * metadata the installer needs. Entry names are checked to stay inside the wheel's own tree, so a
 * crafted wheel cannot write outside the venv.
 */
public final class WheelArchive implements AutoCloseable {
  private final ZipFile zip;
  private final String fileName;
  private final String distInfo;
  private final List<ZipArchiveEntry> files;

  private WheelArchive(ZipFile zip, String fileName, String distInfo, List<ZipArchiveEntry> files) {
    this.zip = zip;
    this.fileName = fileName;
    this.distInfo = distInfo;
    this.files = files;
  }

  public static WheelArchive open(Path wheel) throws IOException {
    return open(wheel, wheel.getFileName().toString());
  }

  /**
   * @param fileName the wheel's own file name, for messages, when the file on disk is named
   *     otherwise (by its hash in the cache)
   */
  public static WheelArchive open(Path wheel, String fileName) throws IOException {
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(wheel).setCharset(StandardCharsets.UTF_8).get();
    } catch (IOException e) {
      throw new WheelException(fileName + " is not a readable wheel (zip): " + e.getMessage());
    }
    try {
      List<ZipArchiveEntry> files = new ArrayList<>();
      String distInfo = null;
      for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
        String name = entry.getName();
        if (!isSafe(name)) {
          throw new WheelException(
              fileName + " holds the entry '" + name + "', which would land outside the venv");
        }
        if (entry.isDirectory()) {
          continue;
        }
        files.add(entry);
        String top = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        if (top.endsWith(".dist-info") && name.equals(top + "/WHEEL")) {
          if (distInfo != null && !distInfo.equals(top)) {
            throw new WheelException(fileName + " has two .dist-info directories");
          }
          distInfo = top;
        }
      }
      if (distInfo == null) {
        throw new WheelException(
            fileName + " has no NAME-VERSION.dist-info/WHEEL file; it is not a wheel");
      }
      files.sort(Comparator.comparing(ZipArchiveEntry::getName));
      return new WheelArchive(zip, fileName, distInfo, List.copyOf(files));
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /** Relative, no '..' or empty segment, no backslash or drive letter. */
  static boolean isSafe(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
      return false;
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return !name.contains("//");
  }

  public String fileName() {
    return fileName;
  }

  /** {@code NAME-VERSION.dist-info}. */
  public String distInfo() {
    return distInfo;
  }

  /** {@code NAME-VERSION.data}. */
  public String dataDir() {
    return distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data";
  }

  public List<ZipArchiveEntry> files() {
    return files;
  }

  public InputStream open(ZipArchiveEntry entry) throws IOException {
    return zip.getInputStream(entry);
  }

  /** A text file of the .dist-info directory, if the wheel has it. */
  public Optional<String> distInfoText(String name) throws IOException {
    ZipArchiveEntry entry = zip.getEntry(distInfo + "/" + name);
    if (entry == null) {
      return Optional.empty();
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The header fields of METADATA (or WHEEL): {@code Key: value} up to the first blank line. */
  public Map<String, String> headers(String name) throws IOException {
    String text =
        distInfoText(name)
            .orElseThrow(() -> new WheelException(fileName + " has no " + distInfo + "/" + name));
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
        fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  /** Whether the wheel's builder stored the file as executable (pip keeps that bit). */
  public static boolean isExecutable(ZipArchiveEntry entry) {
    // st_mode rides in the upper half of the external attributes of entries made on unix.
    return entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX
        && (entry.getUnixMode() & 0111) != 0;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
