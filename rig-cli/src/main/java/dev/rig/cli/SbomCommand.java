package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.sbom.SbomFormat;
import dev.rig.spec.Project;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rig sbom}: builds one image through the cache (nothing new when it is built already) and
 * prints its SBOM, the same bytes a build writes beside the image.
 */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description =
        "Prints an image's software bill of materials (SPDX 2.3 or CycloneDX 1.6 JSON): every"
            + " Debian package with its purl, .deb hash and licence, base layers, copied files,"
            + " rig-init. Builds the image through the cache first.")
final class SbomCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "The image (may be left out when the project has only one).")
  String name;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "spdx",
      description = "spdx or cyclonedx (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the SBOM to FILE instead of printing it.")
  Path output;

  @Override
  public Integer call() throws Exception {
    // Checked before the build, so a typo costs no build.
    SbomFormat sbomFormat = SbomFormat.parse(format);
    try (CommandSession session = CommandSession.open(command, project, registry.access(), true)) {
      Rig rig = session.rig();
      List<String> names = new ArrayList<>();
      Optional.ofNullable(name).ifPresent(names::add);
      Project spec = rig.load(project.spec());
      if (names.isEmpty() && spec.images().size() > 1) {
        throw new IllegalArgumentException(
            "the project has "
                + spec.images().size()
                + " images; name one: rig sbom NAME (one of "
                + String.join(", ", spec.images().keySet())
                + ")");
      }
      List<BuiltImage> images = rig.build(spec, names, project.locked);
      byte[] bytes = images.get(0).sbom().bytes(sbomFormat);
      session.endProgress();
      if (output != null) {
        write(output.toAbsolutePath(), bytes);
      } else {
        PrintWriter out = session.out();
        out.print(new String(bytes, StandardCharsets.UTF_8));
        out.flush();
      }
    }
    return 0;
  }

  /** To a temp file beside {@code file}, then renamed: a reader never sees half a document. */
  private static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".tmp-" + file.getFileName(), ".part");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
