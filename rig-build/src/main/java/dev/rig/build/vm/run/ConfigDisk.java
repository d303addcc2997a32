package dev.rig.build.vm.run;

import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

/**
 * The small raw disk that carries a guest's settings ({@link GuestConfig}) to the VM's init, so
 * that no secret is on the kernel command line. Its format (docs/vm-artifacts.md) is one a busybox
 * shell reads with {@code head} and {@code dd}, and rig writes without host tools:
 *
 * <ul>
 *   <li>sector 0: the ASCII line {@code RIGCFG1 <length>\n}, then zero bytes to 512;
 *   <li>from byte 512: {@code length} bytes of base64 (one line, no newline) of the environment
 *       file ({@code KEY=VALUE} lines), then zero bytes to the next multiple of 512.
 * </ul>
 *
 * <p>Base64 keeps the payload free of the zero bytes and newlines the shell's tools stop at. The
 * hypervisor attaches it read-only; the file is the run's, mode 0600, in its private folder.
 */
public final class ConfigDisk {
  /** The header's first word; the number after it says the format's version. */
  public static final String MAGIC = "RIGCFG1";

  public static final int SECTOR = 512;

  /** Where the guest finds it: the second virtio disk, after the root disk (/dev/vda). */
  public static final String GUEST_DEVICE = "/dev/vdb";

  /** The file name in a run's folder, and next to the artifacts for the written scripts. */
  public static final String FILE_NAME = "config.img";

  private ConfigDisk() {}

  /** The disk's bytes for {@code guest}: a whole number of sectors, at least two. */
  public static byte[] bytes(GuestConfig guest) {
    byte[] payload = Base64.getEncoder().encode(guest.envFile().getBytes(StandardCharsets.UTF_8));
    byte[] header = (MAGIC + " " + payload.length + "\n").getBytes(StandardCharsets.US_ASCII);
    int sectors = 1 + Math.max(1, (payload.length + SECTOR - 1) / SECTOR);
    byte[] disk = Arrays.copyOf(header, sectors * SECTOR);
    System.arraycopy(payload, 0, disk, SECTOR, payload.length);
    return disk;
  }

  /** Writes the disk for {@code guest} to {@code file}, mode 0600, through a temp name. */
  public static Path write(Path file, GuestConfig guest) throws IOException {
    Path temp = AtomicFiles.newTemp(file);
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.write(temp, bytes(guest));
      AtomicFiles.commit(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
    return file;
  }
}
