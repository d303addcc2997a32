package dev.rig.build.vm.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One image's VM as {@code rig build --out vm:DIR} writes it, in {@code DIR/<image>/}: the
 * uncompressed kernel Firecracker and cloud-hypervisor boot, the bzImage QEMU boots, the initramfs,
 * the root disk and {@code vm.json}.
 */
public record VmArtifacts(Path dir, VmDescriptor descriptor) {

  /** The files every VM directory holds, by the names the build writes. */
  static final List<String> FILES =
      List.of("vmlinux", "bzImage", "initrd.img", "rootfs.ext4", "vm.json");

  /** Opens {@code dir}; names every file that is missing and how to make them. */
  public static VmArtifacts open(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      throw new IOException(
          absolute
              + " is not a directory; give the image's folder of a VM build (rig build --out"
              + " vm:DIR writes DIR/<image>/)");
    }
    List<String> missing = new ArrayList<>();
    for (String name : FILES) {
      if (!Files.isRegularFile(absolute.resolve(name))) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(
          absolute
              + " lacks "
              + String.join(", ", missing)
              + "; it is not a VM build of one image (rig build --out vm:DIR writes them to"
              + " DIR/<image>/)");
    }
    return new VmArtifacts(absolute, VmDescriptor.read(absolute.resolve("vm.json")));
  }

  public Path vmlinux() {
    return dir.resolve("vmlinux");
  }

  public Path bzImage() {
    return dir.resolve("bzImage");
  }

  public Path initrd() {
    return dir.resolve("initrd.img");
  }

  public Path rootfs() {
    return dir.resolve("rootfs.ext4");
  }
}
