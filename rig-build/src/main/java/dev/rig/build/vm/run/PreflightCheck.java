package dev.rig.build.vm.run;

import java.util.List;

/**
 * One check of the passthrough preflight as an operator reads it: what was checked, whether it
 * passed, what was found, and (when it failed) the commands that fix it.
 */
public record PreflightCheck(String subject, boolean passed, String detail, List<String> fix) {
  public PreflightCheck {
    fix = List.copyOf(fix);
  }

  static PreflightCheck ok(String subject, String detail) {
    return new PreflightCheck(subject, true, detail, List.of());
  }

  static PreflightCheck failed(String subject, String detail, List<String> fix) {
    return new PreflightCheck(subject, false, detail, fix);
  }
}
