package dev.rig.apt.deb;

import com.github.luben.zstd.ZstdInputStream;
import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A Debian binary package file read without dpkg: the ar container ({@code debian-binary}, {@code
 * control.tar.*}, {@code data.tar.*}). The control part is small and read eagerly, so its fields
 * are plain values; the data part can be large and is only ever streamed ({@link
 * #forEachDataEntry}), never held in memory.
 */
public final class DebArchive {
  /**
   * The maintainer scripts dpkg runs; rig copies them into the dpkg database but never runs them.
   */
  public static final Set<String> MAINTAINER_SCRIPTS =
      Set.of("preinst", "postinst", "prerm", "postrm", "config");

  private final Path file;
  private final Stanza control;
  private final Map<String, byte[]> controlMembers;
  private final String dataMember;

  private DebArchive(
      Path file, Stanza control, Map<String, byte[]> controlMembers, String dataMember) {
    this.file = file;
    this.control = control;
    this.controlMembers = controlMembers;
    this.dataMember = dataMember;
  }

  /** Reads the container and the control part; fails naming the file when it is no valid .deb. */
  public static DebArchive open(Path deb) throws IOException {
    Stanza control = null;
    Map<String, byte[]> members = new TreeMap<>();
    String dataMember = null;
    boolean sawVersion = false;
    try (ArArchiveInputStream ar =
        new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
      ArArchiveEntry entry;
      while ((entry = ar.getNextEntry()) != null) {
        String name = memberName(entry.getName());
        if (name.equals("debian-binary")) {
          String version = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
          if (!version.startsWith("2.")) {
            throw new FormatException(deb + ": unsupported .deb format version " + version);
          }
          sawVersion = true;
        } else if (name.startsWith("control.tar")) {
          try (TarArchiveInputStream tar =
              new TarArchiveInputStream(decompressor(deb, name, nonClosing(ar)))) {
            TarArchiveEntry t;
            while ((t = tar.getNextEntry()) != null) {
              if (!t.isFile()) {
                continue;
              }
              String member = stripDotSlash(t.getName());
              members.put(member, tar.readAllBytes());
            }
          }
        } else if (name.startsWith("data.tar")) {
          dataMember = name;
          break;
        }
      }
    } catch (FormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Truncated or corrupt container: name the file, since the reader's message does not.
      throw new IOException(deb + ": not a readable .deb: " + e.getMessage(), e);
    }
    if (!sawVersion) {
      throw new IOException(deb + ": not a .deb (no debian-binary member first)");
    }
    byte[] controlBytes = members.remove("control");
    if (controlBytes == null) {
      throw new IOException(deb + ": control.tar has no control file");
    }
    if (dataMember == null) {
      throw new IOException(deb + ": no data.tar member (truncated download?)");
    }
    List<Stanza> stanzas =
        ControlParser.parse(deb + ":control", new String(controlBytes, StandardCharsets.UTF_8));
    if (stanzas.size() != 1) {
      throw new IOException(deb + ": control file has " + stanzas.size() + " stanzas, not 1");
    }
    control = stanzas.get(0);
    return new DebArchive(deb, control, Collections.unmodifiableMap(members), dataMember);
  }

  public Path file() {
    return file;
  }

  /** The package's control stanza (Package, Version, Depends, ...). */
  public Stanza control() {
    return control;
  }

  public String packageName() {
    return control.require("Package").strip();
  }

  public String version() {
    return control.require("Version").strip();
  }

  public String architecture() {
    return control.require("Architecture").strip();
  }

  /** The {@code data.tar.*} member name, which says its compression. */
  public String dataMember() {
    return dataMember;
  }

  /** Control-archive members other than {@code control} (md5sums, conffiles, scripts, ...). */
  public Map<String, byte[]> controlMembers() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    controlMembers.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** Absolute paths of the conffiles dpkg would track (lines of {@code conffiles}). */
  public List<String> conffiles() {
    byte[] bytes = controlMembers.get("conffiles");
    if (bytes == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      String s = line.strip();
      // "remove-on-upgrade /path" flags exist since dpkg 1.20; the path is the last word.
      if (!s.isEmpty()) {
        out.add(s.substring(s.lastIndexOf(' ') + 1));
      }
    }
    return List.copyOf(out);
  }

  /** The {@code md5sums} text as shipped (may be empty: dpkg then has no checksums to verify). */
  public String md5sums() {
    byte[] bytes = controlMembers.get("md5sums");
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Names of the maintainer scripts this package ships, sorted. */
  public List<String> maintainerScripts() {
    return controlMembers.keySet().stream().filter(MAINTAINER_SCRIPTS::contains).sorted().toList();
  }

  /** Receives data entries in archive order; {@code content} is readable only during the call. */
  @FunctionalInterface
  public interface DataVisitor {
    void visit(DataEntry entry, InputStream content) throws IOException;
  }

  /**
   * Streams the data archive entry by entry. Paths are returned as written (relative, usually with
   * a leading {@code ./}); checking them is the caller's job (see {@link DebUnpacker}).
   */
  public void forEachDataEntry(DataVisitor visitor) throws IOException {
    forEachDataEntry(DataDecoder.IN_PROCESS, visitor);
  }

  /** {@link #forEachDataEntry(DataVisitor)}, the data member decompressed by {@code decoder}. */
  public void forEachDataEntry(DataDecoder decoder, DataVisitor visitor) throws IOException {
    try (ArArchiveInputStream ar =
        new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      ArArchiveEntry entry;
      while ((entry = ar.getNextEntry()) != null) {
        if (!memberName(entry.getName()).equals(dataMember)) {
          continue;
        }
        // In this process the member is decoded as the archive is read; another decoder gets the
        // member's place in the file.
        try (InputStream decoded =
                decoder == DataDecoder.IN_PROCESS
                    ? decompressor(file, dataMember, nonClosing(ar))
                    : decoder.open(file, dataMember, ar.getBytesRead(), entry.getLength());
            TarArchiveInputStream tar = new TarArchiveInputStream(nonClosing(decoded))) {
          TarArchiveEntry t;
          while ((t = tar.getNextEntry()) != null) {
            visitor.visit(DataEntry.of(t), tar);
          }
          // To the end, so that the decoder is seen to finish (and its check to pass).
          decoded.transferTo(OutputStream.nullOutputStream());
        } catch (UnsafePackageException e) {
          throw e;
        } catch (IOException e) {
          throw new IOException(
              file + " (" + packageName() + "): cannot read " + dataMember + ": " + e.getMessage(),
              e);
        }
        return;
      }
    }
    throw new IOException(file + ": " + dataMember + " vanished while reading");
  }

  private static String memberName(String raw) {
    // GNU ar ends member names with '/'.
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  static String stripDotSlash(String name) {
    String s = name;
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    return s;
  }

  static InputStream decompressor(Path deb, String member, InputStream in) throws IOException {
    if (member.endsWith(".gz")) {
      return new GZIPInputStream(in, 64 * 1024);
    }
    if (member.endsWith(".xz")) {
      return new XZInputStream(in);
    }
    if (member.endsWith(".zst")) {
      return new ZstdInputStream(in);
    }
    if (member.endsWith(".tar")) {
      return in;
    }
    throw new FormatException(deb + ": unsupported compression of " + member);
  }

  /** A problem this class found itself; its message already names the file. */
  private static final class FormatException extends IOException {
    FormatException(String message) {
      super(message);
    }
  }

  /** Lets a tar stream be closed without closing the ar stream around it. */
  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }
}
