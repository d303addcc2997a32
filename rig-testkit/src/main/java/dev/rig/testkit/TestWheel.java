package dev.rig.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A wheel made in a test: a PEP 427 zip with a module, {@code METADATA}, {@code WHEEL} and {@code
 * RECORD}, and any tags, so that a "C extension" wheel for {@code
 * cp311-cp311-manylinux_2_17_x86_64} needs no compiler. The bytes are the same on every run.
 *
 * @param name the project name as the distribution spells it ({@code typing_extensions})
 * @param version the version
 * @param build an optional build tag
 * @param tags the compressed tag triple, {@code py3-none-any}
 * @param requiresPython the METADATA Requires-Python, if any
 * @param requiresDist Requires-Dist lines
 * @param providesExtra Provides-Extra lines
 * @param files more files (path to content), e.g. a console script's entry_points.txt
 */
public record TestWheel(
    String name,
    String version,
    Optional<String> build,
    String tags,
    Optional<String> requiresPython,
    List<String> requiresDist,
    List<String> providesExtra,
    Map<String, String> files) {
  public TestWheel {
    requiresDist = List.copyOf(requiresDist);
    providesExtra = List.copyOf(providesExtra);
    files = new LinkedHashMap<>(files);
  }

  /** A pure-Python wheel with no dependencies. */
  public static TestWheel pure(String name, String version) {
    return new TestWheel(
        name,
        version,
        Optional.empty(),
        "py3-none-any",
        Optional.empty(),
        List.of(),
        List.of(),
        Map.of());
  }

  public TestWheel tags(String value) {
    return new TestWheel(
        name, version, build, value, requiresPython, requiresDist, providesExtra, files);
  }

  public TestWheel build(String value) {
    return new TestWheel(
        name,
        version,
        Optional.of(value),
        tags,
        requiresPython,
        requiresDist,
        providesExtra,
        files);
  }

  public TestWheel requiresPython(String value) {
    return new TestWheel(
        name, version, build, tags, Optional.of(value), requiresDist, providesExtra, files);
  }

  public TestWheel requires(String... lines) {
    List<String> all = new ArrayList<>(requiresDist);
    all.addAll(List.of(lines));
    return new TestWheel(name, version, build, tags, requiresPython, all, providesExtra, files);
  }

  public TestWheel extras(String... names) {
    List<String> all = new ArrayList<>(providesExtra);
    all.addAll(List.of(names));
    return new TestWheel(name, version, build, tags, requiresPython, requiresDist, all, files);
  }

  public TestWheel file(String path, String content) {
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put(path, content);
    return new TestWheel(
        name, version, build, tags, requiresPython, requiresDist, providesExtra, all);
  }

  /** The distribution name as file names spell it: runs of -_. become _. */
  public String distName() {
    return name.replaceAll("[-_.]+", "_");
  }

  public String filename() {
    return distName() + "-" + version + build.map(b -> "-" + b).orElse("") + "-" + tags + ".whl";
  }

  public String metadata() {
    StringBuilder s = new StringBuilder();
    s.append("Metadata-Version: 2.1\n");
    s.append("Name: ").append(name).append('\n');
    s.append("Version: ").append(version).append('\n');
    requiresPython.ifPresent(r -> s.append("Requires-Python: ").append(r).append('\n'));
    for (String extra : providesExtra) {
      s.append("Provides-Extra: ").append(extra).append('\n');
    }
    for (String dep : requiresDist) {
      s.append("Requires-Dist: ").append(dep).append('\n');
    }
    s.append("\nA wheel built by a test.\n");
    return s.toString();
  }

  /** The wheel file. */
  public byte[] bytes() {
    String module = distName().toLowerCase();
    String distInfo = distName() + "-" + version + ".dist-info/";
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(module + "/__init__.py", "__version__ = \"" + version + "\"\n");
    entries.putAll(files);
    entries.put(distInfo + "METADATA", metadata());
    entries.put(
        distInfo + "WHEEL",
        "Wheel-Version: 1.0\nGenerator: rig-testkit\nRoot-Is-Purelib: "
            + tags.endsWith("-none-any")
            + "\nTag: "
            + tags
            + "\n"
            + build.map(b -> "Build: " + b + "\n").orElse(""));
    StringBuilder record = new StringBuilder();
    entries.forEach(
        (path, content) ->
            record
                .append(path)
                .append(",sha256=")
                .append(urlSafeHash(content))
                .append(',')
                .append(content.getBytes(StandardCharsets.UTF_8).length)
                .append('\n'));
    record.append(distInfo).append("RECORD,,\n");
    entries.put(distInfo + "RECORD", record.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(315532800000L); // 1980-01-01, zip's epoch: the same bytes on every run
        zip.putNextEntry(entry);
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String urlSafeHash(String content) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
