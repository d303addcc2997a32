package dev.rig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rig init [TEMPLATE]}: scaffolds a project from one of rig's templates (rig.pkl, a
 * .gitignore for out/, a README snippet and the files the template needs). Existing files are never
 * overwritten.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Scaffolds a project (rig.pkl, .gitignore, README.md) from a template; --list shows them.")
final class InitCommand implements Callable<Integer> {
  static final String TEMPLATES = "/rig/templates/";

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TEMPLATE",
      description = "The template (default: basic); see --list.")
  String template = "basic";

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to write the project (default: the current directory).")
  Path dir = Path.of(".");

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The image name (default: the directory's name, made valid).")
  String name;

  @Option(names = "--list", description = "Lists the templates and exits.")
  boolean list;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = command.commandLine().getOut();
    Map<String, String> templates = templates();
    if (list) {
      templates.forEach((t, description) -> out.printf("%-16s %s%n", t, description));
      out.flush();
      return 0;
    }
    if (!templates.containsKey(template)) {
      throw new IllegalArgumentException(
          "no template \""
              + template
              + "\"; the templates are "
              + String.join(", ", templates.keySet())
              + " (rig init --list)");
    }
    Path target = dir.toAbsolutePath().normalize();
    String image = name != null ? name : imageName(target);
    if (!image.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "image name \""
              + image
              + "\" is invalid (use lower-case letters, digits, '.', '_' and '-', e.g. --name"
              + " my-image)");
    }
    Map<String, byte[]> files = files(template, image);
    List<String> existing = new ArrayList<>();
    for (String path : files.keySet()) {
      if (Files.exists(target.resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        existing.add(path);
      }
    }
    if (!existing.isEmpty()) {
      throw new IllegalArgumentException(
          target
              + " already has "
              + String.join(", ", existing)
              + "; rig init never overwrites files (use --dir for a new directory, or move them"
              + " away)");
    }
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = target.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue(), java.nio.file.StandardOpenOption.CREATE_NEW);
    }
    out.println(
        "Created "
            + template
            + " project \""
            + image
            + "\" in "
            + target
            + ": "
            + String.join(", ", files.keySet()));
    Launcher launcher = Launcher.fromEnvironment();
    out.println("Next: cd " + target + " && " + launcher.command() + " build   (see README.md)");
    launcher.pathHint().ifPresent(hint -> out.println("      (" + hint + ")"));
    out.flush();
    return 0;
  }

  /** The templates and their one-line descriptions, in listing order. */
  static Map<String, String> templates() {
    Map<String, String> templates = new LinkedHashMap<>();
    for (String line : resource("templates.txt").lines().toList()) {
      if (!line.isBlank()) {
        String[] parts = line.split("\t", 2);
        templates.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return templates;
  }

  /**
   * The files of {@code template} by their path in the project, with {@code {{NAME}}} replaced: the
   * template's own files (its files.txt maps resource to project path), .gitignore and README.md.
   */
  static Map<String, byte[]> files(String template, String image) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String line : resource(template + "/files.txt").lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      files.put(parts[1], fill(resource(template + "/" + parts[0]), image));
    }
    files.put(".gitignore", fill(resource("gitignore"), image));
    files.put("README.md", fill(resource(template + "/README.md"), image));
    return files;
  }

  private static byte[] fill(String text, String image) {
    return text.replace("{{NAME}}", image).getBytes(StandardCharsets.UTF_8);
  }

  /** A directory name made into an image name: lower case, other characters as '-'. */
  static String imageName(Path dir) {
    Path fileName = dir.getFileName();
    String raw = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
    String cleaned = raw.replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    return cleaned.isEmpty() ? "app" : cleaned;
  }

  private static String resource(String path) {
    try (InputStream in = InitCommand.class.getResourceAsStream(TEMPLATES + path)) {
      if (in == null) {
        throw new IllegalStateException("rig's template file " + path + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
