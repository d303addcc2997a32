package dev.rig.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * rig-init's settings as the spec writes them (see the schema's {@code Runtime} class for each
 * option's meaning). Times are in seconds.
 */
public record RuntimeSpec(
    boolean enable,
    String javaPackage,
    Sshd sshd,
    Map<String, Service> services,
    String extraStartupScript,
    Map<String, Secret> secrets,
    List<String> secretIdentities,
    Tailscale tailscale,
    int shmMinimumMib,
    double extraStartupScriptTimeout) {
  public RuntimeSpec {
    services = Collections.unmodifiableMap(new TreeMap<>(services));
    secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
    secretIdentities = List.copyOf(secretIdentities);
  }

  /** The defaults, as the schema has them. */
  public static final RuntimeSpec DEFAULT =
      new RuntimeSpec(
          true,
          "default-jre-headless",
          new Sshd(true, 22, Optional.empty()),
          Map.of(),
          "",
          Map.of(),
          List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"),
          new Tailscale(false, Optional.empty(), Optional.empty(), List.of()),
          1024,
          600);

  public record Sshd(boolean enable, int port, Optional<String> listenAddress) {}

  public record Service(
      List<String> command,
      Map<String, String> env,
      Optional<String> workingDir,
      String restart,
      int maxRestarts,
      double restartDelay,
      String stopSignal,
      double stopTimeout,
      List<String> dependsOn,
      Optional<Readiness> readiness,
      Map<String, String> configData,
      boolean logFile,
      boolean essential) {
    public Service {
      command = List.copyOf(command);
      env = Collections.unmodifiableMap(new TreeMap<>(env));
      dependsOn = List.copyOf(dependsOn);
      configData = Collections.unmodifiableMap(new TreeMap<>(configData));
    }
  }

  public record Readiness(
      Optional<Integer> tcpPort,
      Optional<String> httpUrl,
      Optional<List<String>> exec,
      Optional<String> file,
      double timeout) {}

  /**
   * @param file the encrypted file on the build host, absolute
   */
  public record Secret(Path file, String mode, String owner) {}

  public record Tailscale(
      boolean enable,
      Optional<String> authKeySecret,
      Optional<String> hostname,
      List<String> extraArgs) {
    public Tailscale {
      extraArgs = List.copyOf(extraArgs);
    }
  }
}
