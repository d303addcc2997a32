package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages on a base rig cannot install into stop before anything is resolved, with what is wrong
 * and how to fix it: a base without a dpkg database, one of another architecture, and one whose
 * /etc/os-release names no release rig can map to a mirror. Each base is a small layout of copied
 * files, so nothing is downloaded.
 */
class BaseImageErrorsTest {
  @TempDir Path dir;

  private static final String DPKG =
      "Package: dpkg\nStatus: install ok installed\nVersion: 1.22.21\n";

  /** Builds a base layout of {@code files} (image path, content), then a spec on it with jq. */
  private RigRun packagesOn(List<String[]> files) throws IOException {
    StringBuilder copies = new StringBuilder();
    int n = 0;
    for (String[] file : files) {
      String name = "f" + n++;
      Files.writeString(dir.resolve(name), file[1]);
      copies
          .append("      - { source: ")
          .append(name)
          .append(", target: ")
          .append(file[0])
          .append(" }\n");
    }
    Path base = dir.resolve("base.yaml");
    Files.writeString(base, "images:\n  base:\n    copyToRoot:\n" + copies);
    RigRun.withCache(
            dir.resolve("cache"),
            List.of("build", "-f", base.toString(), "--out", "oci:" + dir.resolve("layout")))
        .ok();
    Path top = dir.resolve("top.yaml");
    Files.writeString(
        top,
        "images:\n  top:\n    from: \"oci:layout:base:latest\"\n    packages: [jq]\n"
            + "    environment: { core: false, network: false, shell: false }\n"
            + "    cuda: { enable: false }\n    runtime: { enable: false }\n");
    RigRun run =
        RigRun.withCache(
            dir.resolve("cache"),
            List.of("build", "-f", top.toString(), "--out", "oci:" + dir.resolve("out")));
    assertNotEquals(0, run.exitCode(), run.describe());
    return run;
  }

  @Test
  void aBaseWithoutDpkgIsRefused() throws IOException {
    RigRun run = packagesOn(List.<String[]>of(new String[] {"/etc/os-release", "ID=alpine\n"}));
    assertTrue(
        run.stderr().contains("has no dpkg database (/var/lib/dpkg/status)"), run.describe());
    assertTrue(run.stderr().contains("use a Debian or Ubuntu based image"), run.describe());
  }

  @Test
  void aBaseOfAnotherArchitectureIsRefused() throws IOException {
    RigRun run =
        packagesOn(
            List.of(
                new String[] {"/var/lib/dpkg/status", DPKG + "Architecture: arm64\n"},
                new String[] {"/etc/os-release", "ID=debian\nVERSION_CODENAME=trixie\n"}));
    assertTrue(run.stderr().contains("is built for arm64"), run.describe());
    assertTrue(run.stderr().contains("platform = \"linux/amd64\""), run.describe());
  }

  @Test
  void aBaseWithoutAKnownReleaseIsRefused() throws IOException {
    RigRun run =
        packagesOn(
            List.of(
                new String[] {"/var/lib/dpkg/status", DPKG + "Architecture: amd64\n"},
                new String[] {"/etc/os-release", "PRETTY_NAME=\"Home Made 1\"\nID=homemade\n"}));
    assertTrue(run.stderr().contains("its base is Home Made 1"), run.describe());
    assertTrue(run.stderr().contains("names no Debian or Ubuntu release"), run.describe());
    assertTrue(run.stderr().contains("set distributions"), run.describe());
  }
}
