package dev.rig.build.vm.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A VM build folder as {@code rig build --out vm:DIR} writes it, with placeholder artifacts. */
final class VmDirs {
  private VmDirs() {}

  static final String VM_JSON =
      "{\"image\": \"demo\", \"vcpus\": 2, \"memoryMiB\": 512, \"kernelCmdline\":"
          + " \"console=ttyS0 root=/dev/vda rw panic=-1 quiet\", \"rootDevice\": \"/dev/vda\","
          + " \"gpu\": {\"vfioBind\": false}}";

  static VmArtifacts make(Path parent) throws IOException {
    Path dir = Files.createDirectories(parent.resolve("demo"));
    for (String name : new String[] {"vmlinux", "bzImage", "initrd.img", "rootfs.ext4"}) {
      Files.writeString(dir.resolve(name), name);
    }
    Files.writeString(dir.resolve("vm.json"), VM_JSON);
    return VmArtifacts.open(dir);
  }
}
