package dev.rig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * apt-get with a throw-away state directory (sources, lists, cache) for one suite of the machine's
 * Debian mirror: the download peer. The machine's own apt state is never read or written.
 */
final class AptGet {
  private final List<String> prefix;

  private AptGet(List<String> prefix) {
    this.prefix = prefix;
  }

  /** Sets up {@code dir} for {@code suite} and {@code components} of the machine's mirror. */
  static AptGet prepare(Path dir, String suite, List<String> components) throws IOException {
    Path lists = dir.resolve("lists");
    Path cache = dir.resolve("cache");
    Files.createDirectories(lists.resolve("partial"));
    Files.createDirectories(cache.resolve("archives/partial"));
    Path parts = Files.createDirectories(dir.resolve("sources.list.d"));
    Path sources = dir.resolve("sources.list");
    // The mirror comes from /etc/apt at run time: no archive host name is written in the code.
    Files.writeString(
        sources,
        "deb [signed-by="
            + CudaTree.KEYRING
            + "] "
            + CudaTree.mirror().uri()
            + " "
            + suite
            + " "
            + String.join(" ", components)
            + "\n");
    return new AptGet(
        List.of(
            "apt-get",
            "-q",
            "-o",
            "Dir::Etc::SourceList=" + sources,
            "-o",
            "Dir::Etc::SourceParts=" + parts,
            "-o",
            "Dir::State::Lists=" + lists,
            "-o",
            "Dir::Cache=" + cache,
            "-o",
            "Acquire::Languages=none",
            "-o",
            "APT::Sandbox::User=root",
            "-o",
            "APT::Architecture=" + CudaTree.debianArch()));
  }

  List<String> update() {
    List<String> command = new ArrayList<>(prefix);
    command.add("update");
    return command;
  }

  /** {@code apt-get download NAME=VERSION...}: fetches into the working directory. */
  List<String> download(List<String> nameEqualsVersion) {
    List<String> command = new ArrayList<>(prefix);
    command.add("download");
    command.addAll(nameEqualsVersion);
    return command;
  }
}
