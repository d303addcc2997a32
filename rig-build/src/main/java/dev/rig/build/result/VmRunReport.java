package dev.rig.build.result;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * What {@code rig vm run} did: the hypervisor and command it chose, the loopback port SSH is
 * forwarded from (0 when the hypervisor forwards none), the configuration files it wrote, whether
 * the passthrough preflight passed, and the hypervisor's exit code (absent for a dry run).
 */
public record VmRunReport(
    String image,
    String hypervisor,
    boolean kvm,
    List<String> command,
    String commandLine,
    int sshPort,
    List<Path> files,
    boolean preflightPassed,
    OptionalInt exitCode) {
  public VmRunReport {
    command = List.copyOf(command);
    files = List.copyOf(files);
  }
}
