package dev.rig.build.vm.run;

import java.time.Duration;

/**
 * Whether a guest really runs under KVM here, and why not: {@code reason} is the sentence an
 * operator reads ("the vCPU reset on entering 64-bit mode ...").
 */
public record KvmVerdict(boolean works, String reason, Duration took) {
  public static KvmVerdict works(String reason, Duration took) {
    return new KvmVerdict(true, reason, took);
  }

  public static KvmVerdict fails(String reason, Duration took) {
    return new KvmVerdict(false, reason, took);
  }
}
