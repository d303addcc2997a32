package dev.rig.init.startup;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reports whether /dev/net/tun exists. Most GPU markets give no tun device and no NET_ADMIN, so
 * VPNs such as Tailscale must use userspace networking there; saying so up front saves a debug
 * session.
 */
public final class TunCheck implements StartupStep {
  @Override
  public String name() {
    return "tun";
  }

  @Override
  public StepResult run(StepContext ctx) {
    Path tun = ctx.path("/dev/net/tun");
    if (Files.exists(tun, LinkOption.NOFOLLOW_LINKS)) {
      return StepResult.ok(name(), "/dev/net/tun present");
    }
    return StepResult.ok(
        name(),
        "no /dev/net/tun (usual on GPU markets); VPNs must use userspace networking, e.g."
            + " tailscaled --tun=userspace-networking");
  }
}
