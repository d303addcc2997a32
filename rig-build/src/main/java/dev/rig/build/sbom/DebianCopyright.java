package dev.rig.build.sbom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's licence from its machine-readable copyright file (DEP-5, {@code
 * /usr/share/doc/PKG/copyright}): the {@code License:} synopsis of every {@code Files} paragraph,
 * Debian's short names turned into SPDX ids, joined with AND (the package holds files under each).
 * A name SPDX does not list becomes a {@code LicenseRef-} with the file's text for it; a file that
 * is not machine-readable gives NOASSERTION, never a guess.
 */
final class DebianCopyright {
  private static final Pattern GNU =
      Pattern.compile("(A?GPL|LGPL|GFDL)-?([0-9]+(?:\\.[0-9]+)?)(\\+?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern WITH =
      Pattern.compile("(.+?)\\s+with\\s+(.+?)\\s+exception", Pattern.CASE_INSENSITIVE);
  private static final Map<String, String> DEBIAN_NAMES =
      Map.ofEntries(
          Map.entry("expat", "MIT"),
          Map.entry("mit/x11", "MIT"),
          Map.entry("bsd-2-clause", "BSD-2-Clause"),
          Map.entry("bsd-3-clause", "BSD-3-Clause"),
          Map.entry("bsd-4-clause", "BSD-4-Clause"),
          Map.entry("apache-2", "Apache-2.0"),
          Map.entry("artistic", "Artistic-1.0-Perl"),
          Map.entry("artistic-1", "Artistic-1.0"),
          Map.entry("artistic-2", "Artistic-2.0"),
          Map.entry("psf-2", "PSF-2.0"),
          Map.entry("python", "Python-2.0"),
          Map.entry("zlib", "Zlib"),
          Map.entry("mpl-2", "MPL-2.0"),
          Map.entry("cc0", "CC0-1.0"),
          Map.entry("boost-1.0", "BSL-1.0"));

  private DebianCopyright() {}

  /** The licence the copyright file's text declares. */
  static SpdxLicense license(String copyright) {
    List<Map<String, String>> paragraphs = paragraphs(copyright);
    if (paragraphs.isEmpty() || !machineReadable(paragraphs.get(0))) {
      return SpdxLicense.NOASSERTION;
    }
    Map<String, String> texts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    List<String> synopses = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i++) {
      Map<String, String> paragraph = paragraphs.get(i);
      String license = paragraph.get("license");
      if (license == null) {
        continue;
      }
      String synopsis = license.lines().findFirst().orElse("").strip();
      if (paragraph.containsKey("files")) {
        synopses.add(synopsis);
      } else if (i > 0) {
        texts.putIfAbsent(synopsis, license);
      }
    }
    if (synopses.isEmpty() && paragraphs.get(0).containsKey("license")) {
      synopses.add(paragraphs.get(0).get("license").lines().findFirst().orElse("").strip());
    }
    TreeSet<String> expressions = new TreeSet<>();
    Map<String, String> references = new TreeMap<>();
    for (String synopsis : synopses) {
      if (!synopsis.isEmpty()) {
        expressions.add(expression(synopsis, texts, references));
      }
    }
    if (expressions.isEmpty()) {
      return SpdxLicense.NOASSERTION;
    }
    List<String> parts = new ArrayList<>();
    for (String e : expressions) {
      parts.add(expressions.size() > 1 && e.contains(" ") ? "(" + e + ")" : e);
    }
    return new SpdxLicense(Optional.of(String.join(" AND ", parts)), references);
  }

  /**
   * One synopsis as an expression: commas bind loosest (as DEP-5 uses them), then "and", then "or";
   * each name mapped on its own.
   */
  static String expression(String synopsis, Map<String, String> texts, Map<String, String> refs) {
    List<String> all = new ArrayList<>();
    String[] commaParts = synopsis.split(",");
    for (String commaPart : commaParts) {
      String part = commaPart.strip().replaceFirst("(?i)^(and|or)\\s+", "");
      if (part.isEmpty()) {
        continue;
      }
      List<String> ors = new ArrayList<>();
      for (String or : part.split("(?i)\\s+or\\s+")) {
        List<String> ands = new ArrayList<>();
        for (String atom : or.split("(?i)\\s+and\\s+")) {
          ands.add(atom(atom.strip(), texts, refs));
        }
        ors.add(String.join(" AND ", ands));
      }
      String joined = String.join(" OR ", ors);
      all.add(commaParts.length > 1 && ors.size() > 1 ? "(" + joined + ")" : joined);
    }
    return String.join(" AND ", all);
  }

  /** One licence name, with a {@code with X exception} where it has one. */
  private static String atom(String name, Map<String, String> texts, Map<String, String> refs) {
    Matcher with = WITH.matcher(name);
    if (with.matches()) {
      Optional<String> license = spdxId(with.group(1).strip());
      Optional<String> exception = exceptionId(with.group(2).strip());
      if (license.isPresent() && exception.isPresent()) {
        return license.get() + " WITH " + exception.get();
      }
    } else {
      Optional<String> id = spdxId(name);
      if (id.isPresent()) {
        return id.get();
      }
    }
    String ref = "LicenseRef-" + name.replaceAll("[^A-Za-z0-9.-]+", "-");
    refs.putIfAbsent(
        ref,
        Optional.ofNullable(texts.get(name))
            .orElse(name + " (the package's copyright file gives no text for it)"));
    return ref;
  }

  static Optional<String> spdxId(String debianName) {
    String name = debianName.strip();
    String mapped = DEBIAN_NAMES.get(name.toLowerCase(Locale.ROOT));
    if (mapped != null) {
      return SpdxLicenseList.license(mapped);
    }
    Matcher gnu = GNU.matcher(name);
    if (gnu.matches()) {
      String version = gnu.group(2).contains(".") ? gnu.group(2) : gnu.group(2) + ".0";
      String suffix = gnu.group(3).isEmpty() ? "-only" : "-or-later";
      return SpdxLicenseList.license(gnu.group(1) + "-" + version + suffix);
    }
    return SpdxLicenseList.license(name);
  }

  private static Optional<String> exceptionId(String debianName) {
    Optional<String> direct = SpdxLicenseList.exception(debianName + "-exception");
    if (direct.isPresent()) {
      return direct;
    }
    // GCC-3.1 in Debian's files is GCC-exception-3.1 on SPDX's list.
    Matcher versioned = Pattern.compile("(.+)-([0-9.]+)").matcher(debianName);
    if (versioned.matches()) {
      return SpdxLicenseList.exception(versioned.group(1) + "-exception-" + versioned.group(2));
    }
    return SpdxLicenseList.exception(debianName);
  }

  private static boolean machineReadable(Map<String, String> header) {
    String format = header.getOrDefault("format", "").toLowerCase(Locale.ROOT);
    return format.contains("copyright-format")
        || format.contains("dep5")
        || format.contains("dep-5");
  }

  /**
   * deb822 paragraphs with lower-case field names; lenient (unlike rig's index parser), since
   * copyright files are hand-written: a line that is no field is skipped, a repeated field keeps
   * its first value.
   */
  private static List<Map<String, String>> paragraphs(String text) {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    String field = null;
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        if (!fields.isEmpty()) {
          out.add(fields);
          fields = new LinkedHashMap<>();
        }
        field = null;
      } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (field != null) {
          fields.put(field, fields.get(field) + "\n" + line.strip());
        }
      } else if (line.charAt(0) != '#' && line.indexOf(':') > 0) {
        String name = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
        if (fields.containsKey(name)) {
          field = null;
        } else {
          field = name;
          fields.put(name, line.substring(line.indexOf(':') + 1).strip());
        }
      } else {
        field = null;
      }
    }
    if (!fields.isEmpty()) {
      out.add(fields);
    }
    return out;
  }
}
