package dev.rig.init.startup;

import dev.rig.init.report.Plural;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes host-injected driver libraries loadable: a SONAME link for each library whose link is
 * missing (taken from the library itself, never assumed to be ".so.1"), a libcuda.so development
 * link (Triton and others dlopen that name), an ld.so.conf.d file naming every directory they are
 * in, and an ldconfig run so the cache knows them.
 */
public final class GpuLibraries implements StartupStep {
  static final String CONF = "/etc/ld.so.conf.d/rig-nvidia.conf";

  @Override
  public String name() {
    return "gpu-libraries";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    String visible = ctx.env("NVIDIA_VISIBLE_DEVICES");
    if (visible != null && (visible.equals("void") || visible.equals("none"))) {
      return StepResult.skipped(name(), "NVIDIA_VISIBLE_DEVICES=" + visible + ": no GPU requested");
    }
    List<DriverLibraries.Library> libs = DriverLibraries.scan(ctx);
    if (libs.isEmpty()) {
      return StepResult.skipped(name(), "no NVIDIA driver libraries in this container");
    }
    List<String> linked = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> dirs = new TreeSet<>();
    for (DriverLibraries.Library lib : libs) {
      dirs.add(lib.dir());
      Path dir = ctx.path(lib.dir());
      if (lib.soname().isPresent() && !lib.soname().get().equals(lib.fileName())) {
        link(dir, lib.soname().get(), lib.fileName(), linked, problems);
      }
      if (lib.fileName().startsWith("libcuda.so.") && lib.soname().isPresent()) {
        link(dir, "libcuda.so", lib.soname().get(), linked, problems);
      }
    }
    Path conf = ctx.path(CONF);
    AtomicFiles.replace(
        conf,
        "# written by rig-init at start: where the host put the NVIDIA driver\n"
            + String.join("\n", dirs)
            + "\n",
        PosixFilePermissions.fromString("rw-r--r--"));
    List<String> ldconfig =
        ctx.realRoot() ? List.of("ldconfig") : List.of("ldconfig", "-r", ctx.root().toString());
    Commands.Output ld = Commands.run(ldconfig, null, 60);
    if (!ld.ok()) {
      problems.add("ldconfig failed (" + ld.code() + "): " + ld.firstLine());
    }
    String msg =
        Plural.of(libs.size(), "library", "libraries")
            + " in "
            + String.join(", ", dirs)
            + (linked.isEmpty()
                ? "; links already present"
                : "; linked " + String.join(", ", linked))
            + "; wrote "
            + CONF;
    return problems.isEmpty()
        ? StepResult.ok(name(), msg + "; ldconfig ok")
        : StepResult.warning(name(), msg + "; " + String.join("; ", problems));
  }

  private static void link(
      Path dir, String linkName, String target, List<String> linked, List<String> problems) {
    Path link = dir.resolve(linkName);
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.createSymbolicLink(link, Path.of(target));
      linked.add(linkName + " -> " + target);
    } catch (Exception e) {
      problems.add("cannot link " + link + ": " + e.getMessage());
    }
  }
}
