package dev.rig.apt.repo;

import dev.rig.apt.control.ControlFileException;
import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads apt source definitions in both formats: one-line ({@code *.list}) and deb822 ({@code
 * *.sources}). rig uses it to find the machine's configured mirrors without naming any host.
 */
public final class AptSources {
  private AptSources() {}

  /** Reads {@code DIR/sources.list} and {@code DIR/sources.list.d/*.list|*.sources}, by name. */
  public static List<SourceEntry> readSystem(Path etcApt) throws IOException {
    List<SourceEntry> out = new ArrayList<>();
    Path list = etcApt.resolve("sources.list");
    if (Files.isRegularFile(list)) {
      out.addAll(parseList(list.toString(), Files.readString(list)));
    }
    Path parts = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(parts)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(parts)) {
        files = s.sorted().toList();
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".list")) {
          out.addAll(parseList(f.toString(), Files.readString(f)));
        } else if (name.endsWith(".sources")) {
          out.addAll(parseDeb822(f.toString(), Files.readString(f)));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Parses one-line format; errors name the file and line. */
  public static List<SourceEntry> parseList(String source, String text) {
    List<SourceEntry> out = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      Map<String, String> options = new LinkedHashMap<>();
      int open = line.indexOf('[');
      if (open >= 0) {
        int close = line.indexOf(']', open);
        if (close < 0) {
          throw new ControlFileException(source + ":" + (n + 1) + ": unclosed '['");
        }
        for (String opt : line.substring(open + 1, close).strip().split("\\s+")) {
          int eq = opt.indexOf('=');
          if (eq > 0) {
            options.put(opt.substring(0, eq).toLowerCase(Locale.ROOT), opt.substring(eq + 1));
          }
        }
        line = line.substring(0, open) + line.substring(close + 1);
      }
      String[] words = line.strip().split("\\s+");
      if (words.length < 3) {
        throw new ControlFileException(
            source + ":" + (n + 1) + ": expected 'deb [options] URI SUITE [COMPONENT...]'");
      }
      Optional<String> signedBy = Optional.ofNullable(options.remove("signed-by"));
      out.add(
          new SourceEntry(
              words[0],
              URI.create(words[1]),
              words[2],
              List.of(words).subList(3, words.length),
              signedBy,
              options));
    }
    return List.copyOf(out);
  }

  /** Parses deb822 format, skipping stanzas with {@code Enabled: no}. */
  public static List<SourceEntry> parseDeb822(String source, String text) {
    List<SourceEntry> out = new ArrayList<>();
    for (Stanza s : ControlParser.parse(source, text)) {
      if (s.get("Enabled").map(v -> v.strip().equalsIgnoreCase("no")).orElse(false)) {
        continue;
      }
      Optional<String> signedBy = s.get("Signed-By").map(String::strip);
      Map<String, String> options = new LinkedHashMap<>();
      s.get("Architectures")
          .ifPresent(v -> options.put("arch", String.join(",", v.strip().split("\\s+"))));
      for (String type : words(s, "Types")) {
        for (String uri : words(s, "URIs")) {
          for (String suite : words(s, "Suites")) {
            out.add(
                new SourceEntry(
                    type, URI.create(uri), suite, s.words("Components"), signedBy, options));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> words(Stanza s, String field) {
    List<String> w = s.words(field);
    if (w.isEmpty()) {
      throw new ControlFileException(s.where() + ": missing field " + field);
    }
    return w;
  }
}
