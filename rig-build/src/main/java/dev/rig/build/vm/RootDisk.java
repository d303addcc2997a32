package dev.rig.build.vm;

import dev.rig.build.packages.VmPackages;
import dev.rig.spec.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The VM's root disk: an ext4 image of a directory, made by mke2fs from the locked e2fsprogs in the
 * build sandbox (never the host's, whose version would change the bytes), with the UUID, the
 * directory hash seed and every time fixed, so that the same files give the same disk on any host.
 * e2fsprogs from trixie on adds the files in sorted order, whatever order the host's directory
 * lists them in.
 */
final class RootDisk {
  private static final long MIB = 1024 * 1024;
  private static final long BLOCK = 4096;

  private RootDisk() {}

  /** The size in MiB: the spec's, or the files (with ext4's own overhead) plus free space. */
  static long sizeMiB(Path files, VmSpec vm) throws IOException {
    if (vm.diskSizeMiB().isPresent()) {
      return vm.diskSizeMiB().get();
    }
    long used = 0;
    try (Stream<Path> all = Files.walk(files)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        used += BLOCK;
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          used += (Files.size(p) + BLOCK - 1) / BLOCK * BLOCK;
        }
      }
    }
    // Inode tables, group descriptors and the journal take about a tenth and 64 MiB at most.
    return (used + used / 10) / MIB + 1 + 64 + vm.freeSpaceMiB();
  }

  /** Writes {@code disk} (it must not exist) from {@code files} with mke2fs in the sandbox. */
  static void make(
      VmPackages packages,
      Path toolRoot,
      Path files,
      Path disk,
      long sizeMiB,
      UUID uuid,
      long epoch,
      String image)
      throws IOException {
    long inodes;
    try (Stream<Path> all = Files.walk(files)) {
      inodes = all.count();
    }
    List<String> command =
        List.of(
            "/usr/bin/env",
            "E2FSPROGS_FAKE_TIME=" + epoch,
            "mke2fs",
            "-q",
            "-F",
            "-t",
            "ext4",
            "-b",
            Long.toString(BLOCK),
            "-I",
            "256",
            "-N",
            Long.toString(inodes + inodes / 4 + 4096),
            "-m",
            "0",
            "-L",
            "rootfs",
            "-U",
            uuid.toString(),
            "-E",
            "hash_seed="
                + uuid
                + ",root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0,nodiscard",
            "-d",
            "/tmp/rig-files",
            "/tmp/rig-out/" + disk.getFileName(),
            sizeMiB + "M");
    VmPackages.ToolRun run =
        packages.run(
            toolRoot,
            command,
            Map.of("/tmp/rig-files", files, "/tmp/rig-out", disk.getParent()),
            600);
    if (run.exitCode() != 0 || !Files.isRegularFile(disk)) {
      throw new IOException(
          "image '"
              + image
              + "': mke2fs could not make the VM root disk ("
              + sizeMiB
              + " MiB; exit "
              + run.exitCode()
              + "): "
              + run.output().strip()
              + "; if the files do not fit, raise vm.freeSpaceMiB or vm.diskSizeMiB");
    }
  }
}
