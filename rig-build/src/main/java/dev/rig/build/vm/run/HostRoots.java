package dev.rig.build.vm.run;

import java.nio.file.Path;

/**
 * Where the preflight reads the host: sysfs, the device nodes and procfs. Tests point these at a
 * fake tree in a temp folder.
 */
public record HostRoots(Path sys, Path dev, Path proc) {
  public static HostRoots system() {
    return new HostRoots(Path.of("/sys"), Path.of("/dev"), Path.of("/proc"));
  }
}
