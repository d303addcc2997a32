package dev.rig.build.vm.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line a hypervisor passes: the console and root device each hypervisor needs,
 * then what the image's vm.json adds (which wins, coming later), then where the config disk is. The
 * guest's settings themselves are on that disk ({@link ConfigDisk}), never here: every guest user
 * can read /proc/cmdline.
 */
final class BootArguments {
  private BootArguments() {}

  /**
   * Under TCG the guest's clock calibration against the emulated timers fails when the host is busy
   * (seen here: the boot stops after "Marking TSC unstable"); telling the kernel the TSC's rate and
   * the delay loop's speed skips that calibration. {@code tsc=reliable}: TCG's TSC is read from the
   * host's clock, so it is the steadiest clock the guest has, while the timers the kernel's
   * watchdog checks it against lag whenever the host is busy. Without it the watchdog marked the
   * TSC unstable mid-boot, and the kernel then patched its sched_clock jump label on a running SMP
   * guest, which under multi-threaded TCG ended about one boot in eight under load in an "Oops:
   * int3" in sched_clock_cpu. Harmless with KVM, but only needed without it.
   */
  static final List<String> EMULATED_CPU =
      List.of("tsc_early_khz=2000000", "tsc=reliable", "lpj=8000000", "no_timer_check");

  /** The parameter naming the config disk's device for the VM's init. */
  static final String CONFIG_PARAMETER = "rig.config";

  static String of(Hypervisor hypervisor, VmDescriptor vm) {
    return of(hypervisor, vm, true);
  }

  static String of(Hypervisor hypervisor, VmDescriptor vm, boolean kvm) {
    List<String> words = new ArrayList<>();
    String image = vm.kernelCmdline().strip();
    if (!image.contains("console=")) {
      words.add("console=ttyS0");
    }
    // Firecracker adds root= itself for the drive marked is_root_device.
    if (hypervisor != Hypervisor.FIRECRACKER && !image.contains("root=")) {
      words.add("root=" + vm.rootDevice());
      words.add("rw");
    }
    if (hypervisor == Hypervisor.FIRECRACKER) {
      // Firecracker's documented guest arguments: reboot through the keyboard controller ends the
      // VMM; it has no PCI bus.
      words.add("reboot=k");
      words.add("pci=off");
    }
    // A kernel that panics powers off at once instead of hanging the run.
    if (!image.contains("panic=")) {
      words.add("panic=-1");
    }
    if (!kvm) {
      words.addAll(EMULATED_CPU);
    }
    if (!image.isEmpty()) {
      words.add(image);
    }
    words.add(CONFIG_PARAMETER + "=" + ConfigDisk.GUEST_DEVICE);
    return String.join(" ", words);
  }
}
