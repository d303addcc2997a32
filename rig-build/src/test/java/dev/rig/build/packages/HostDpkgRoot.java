package dev.rig.build.packages;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Test helpers: a root holding the host's dpkg-deb with its libraries, standing in for an image's
 * root, and .debs built by dpkg-deb.
 */
final class HostDpkgRoot {
  private HostDpkgRoot() {}

  /** Makes {@code root} a root the sandbox can run the host's dpkg-deb from. */
  static Path make(Path root) throws IOException {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("setpriv", "util-linux");
    for (String dirName : List.of("tmp", "run", "dev", "proc", "usr/bin")) {
      Files.createDirectories(root.resolve(dirName));
    }
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    copyWithLibraries(root, Tools.require("dpkg-deb", "dpkg"));
    return root;
  }

  /** Copies a host program into the root at /usr/bin, with every library ldd names. */
  private static void copyWithLibraries(Path root, Path program) throws IOException {
    Path real = program.toRealPath();
    Files.copy(real, root.resolve("usr/bin/" + program.getFileName()));
    for (String line : Exec.run(List.of("ldd", real.toString())).ok().stdout().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      String path =
          parts.length >= 3 && parts[1].equals("=>")
              ? parts[2]
              : parts[0].startsWith("/") ? parts[0] : null;
      if (path == null || !path.startsWith("/")) {
        continue;
      }
      Path inside = root.resolve(path.substring(1));
      if (!Files.exists(inside)) {
        Files.createDirectories(inside.getParent());
        Files.copy(Path.of(path).toRealPath(), inside);
      }
    }
  }

  /**
   * A .deb in {@code dir} with a conffile and {@code size} bytes of half-compressible data, its
   * data member compressed with {@code compression} (xz, gzip, zstd).
   */
  static Path deb(Path dir, String name, int size, String compression) throws IOException {
    Tools.require("dpkg-deb", "dpkg");
    Path tree = Files.createDirectories(dir.resolve(name + "-tree"));
    Files.createDirectories(tree.resolve("DEBIAN"));
    Files.writeString(
        tree.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: 1.0\nArchitecture: all\nMaintainer: rig <rig@localhost>\n"
            + "Description: test data\n");
    Files.writeString(tree.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
    Files.createDirectories(tree.resolve("etc"));
    Files.writeString(tree.resolve("etc/" + name + ".conf"), "setting=1\n");
    Files.createDirectories(tree.resolve("usr/share/" + name));
    byte[] data = new byte[size];
    Random random = new Random(name.hashCode());
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i % 3 == 0 ? random.nextInt(256) : i >> 10);
    }
    Files.write(tree.resolve("usr/share/" + name + "/data.bin"), data);
    Path out = dir.resolve(name + ".deb");
    Exec.run(
            List.of(
                "dpkg-deb",
                "--root-owner-group",
                "-Z" + compression,
                "--build",
                tree.toString(),
                out.toString()))
        .ok();
    return out;
  }

  /** Waits up to 5 s for every child process of this JVM to end; the ones still alive. */
  static List<String> childrenLeft() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<ProcessHandle> alive = List.of();
    while (System.nanoTime() < deadline) {
      alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        return List.of();
      }
      Thread.sleep(50);
    }
    return alive.stream().map(p -> p.info().commandLine().orElse("?")).toList();
  }
}
