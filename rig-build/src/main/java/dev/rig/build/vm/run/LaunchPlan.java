package dev.rig.build.vm.run;

import java.util.List;

/**
 * A run decided and not yet started: the VM, the hypervisor chosen and why, how it is wired to the
 * host, the exact command, and the preflight's checks (empty without GPUs).
 */
public record LaunchPlan(
    VmArtifacts vm,
    HypervisorChoice choice,
    LaunchSettings settings,
    List<String> argv,
    List<PreflightCheck> checks) {
  public LaunchPlan {
    argv = List.copyOf(argv);
    checks = List.copyOf(checks);
  }

  public boolean preflightPassed() {
    return checks.stream().allMatch(PreflightCheck::passed);
  }

  /** The command as a shell reads it back. */
  public String commandLine() {
    return ShellWords.join(argv);
  }

  /** QEMU forwards SSH from loopback; Firecracker and cloud-hypervisor use a TAP device. */
  public boolean forwardsSsh() {
    return choice.hypervisor() == Hypervisor.QEMU;
  }
}
