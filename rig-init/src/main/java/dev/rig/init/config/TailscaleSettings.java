package dev.rig.init.config;

import java.util.List;

/**
 * The optional built-in Tailscale services (tailscaled in userspace networking, then {@code
 * tailscale up}); the user adds the tailscale package to the image.
 *
 * @param enable whether to run tailscaled at all
 * @param authKeySecret name of a secret (see {@code secrets}) holding the auth key; the TS_AUTHKEY
 *     variable is used when null
 * @param hostname the node name on the tailnet; Tailscale's default (the container hostname) when
 *     null
 * @param extraArgs more arguments for {@code tailscale up}
 */
public record TailscaleSettings(
    Boolean enable, String authKeySecret, String hostname, List<String> extraArgs) {
  public static final TailscaleSettings DEFAULT = new TailscaleSettings(null, null, null, null);

  public TailscaleSettings {
    enable = enable == null ? Boolean.FALSE : enable;
    extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
  }
}
