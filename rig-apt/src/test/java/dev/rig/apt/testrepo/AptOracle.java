package dev.rig.apt.testrepo;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real apt, pointed at a private state directory (TESTING.md "apt as the oracle"), answering
 * what {@code apt-get install --simulate} would install with an empty status file.
 */
public final class AptOracle {
  private final Path config;

  private AptOracle(Path config) {
    this.config = config;
  }

  /** Configures apt for one {@code deb} line and runs {@code apt-get update}. */
  public static AptOracle forSource(Path dir, String debLine) throws IOException {
    return forSource(dir, debLine, "");
  }

  /**
   * Configures apt for one {@code deb} line on a system whose dpkg status file holds {@code status}
   * (a base image's installed packages) and runs {@code apt-get update}.
   */
  public static AptOracle forSource(Path dir, String debLine, String status) throws IOException {
    Tools.require("apt-get", "apt");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(etc.resolve("apt.conf.d"));
    Files.createDirectories(etc.resolve("preferences.d"));
    Files.createDirectories(etc.resolve("trusted.gpg.d"));
    Path sourcesD = Files.createDirectories(etc.resolve("sources.list.d"));
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(state.resolve("lists/partial"));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Files.createDirectories(cache.resolve("archives/partial"));
    Path log = Files.createDirectories(dir.resolve("log"));
    Path statusFile = state.resolve("status");
    Files.writeString(statusFile, status);
    Files.writeString(etc.resolve("sources.list"), debLine + "\n");
    Path config = dir.resolve("apt.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Dir::Etc \"" + etc + "\";",
            "Dir::Etc::Parts \"" + etc.resolve("apt.conf.d") + "\";",
            "Dir::Etc::SourceParts \"" + sourcesD + "\";",
            "Dir::Etc::TrustedParts \"" + etc.resolve("trusted.gpg.d") + "\";",
            "Dir::State \"" + state + "\";",
            "Dir::State::status \"" + statusFile + "\";",
            "Dir::Cache \"" + cache + "\";",
            "Dir::Log \"" + log + "\";",
            "APT::Architecture \"amd64\";",
            "APT::Architectures { \"amd64\"; };",
            "Acquire::Languages \"none\";",
            "APT::Install-Recommends \"false\";",
            "Debug::NoLocking \"true\";",
            ""));
    AptOracle oracle = new AptOracle(config);
    oracle.apt("apt-get", "update", "-qq").ok();
    return oracle;
  }

  /** The simulated install set as sorted {@code name=version}, or empty when apt refuses. */
  public Optional<List<String>> simulate(List<String> packages) {
    List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "--simulate", "-qq"));
    cmd.addAll(packages);
    Exec.Result r = apt(cmd.toArray(String[]::new));
    if (r.exitCode() != 0) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("Inst ")) {
        String[] parts = line.split(" ");
        out.add(parts[1] + "=" + parts[2].substring(1));
      }
    }
    return Optional.of(out.stream().sorted().toList());
  }

  /**
   * What apt would install or upgrade on top of the status file, as sorted {@code name=version};
   * empty when apt refuses or would remove an installed package to do it (rig never removes what a
   * base installed, so it refuses those too).
   */
  public Optional<List<String>> simulateOnStatus(List<String> packages) {
    List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "--simulate", "-qq"));
    cmd.addAll(packages);
    Exec.Result r = apt(cmd.toArray(String[]::new));
    if (r.exitCode() != 0) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("Remv ")) {
        return Optional.empty();
      }
      if (line.startsWith("Inst ")) {
        // "Inst NAME [OLD] (NEW ...)" for an upgrade, "Inst NAME (NEW ...)" for a new package.
        String[] parts = line.split(" ");
        String version = parts[2].startsWith("[") ? parts[3] : parts[2];
        out.add(parts[1] + "=" + version.substring(1));
      }
    }
    return Optional.of(out.stream().sorted().toList());
  }

  public Exec.Result apt(String... args) {
    return Exec.run(
        Arrays.asList(args),
        Map.of("APT_CONFIG", config.toString(), "LC_ALL", "C"),
        null,
        Duration.ofMinutes(2));
  }
}
