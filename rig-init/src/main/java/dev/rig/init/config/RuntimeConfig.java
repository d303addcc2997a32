package dev.rig.init.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of /etc/rig/runtime.json: what rig-init does in a container. The builder generates it;
 * this record is the one definition of its shape.
 *
 * @param secrets age-encrypted files decrypted at start into {@code startup.secretsDir}
 * @param secretIdentities private key files tried on each secret, in order; the SSH host keys by
 *     default, as agenix does (the RIG_AGE_IDENTITY variable is tried as well when set)
 * @param tailscale the optional Tailscale services
 */
public record RuntimeConfig(
    Map<String, ServiceSpec> services,
    StartupSettings startup,
    List<SecretSpec> secrets,
    List<String> secretIdentities,
    TailscaleSettings tailscale) {
  /** The identities agenix uses: the host's own SSH keys. Declared before EMPTY, which uses it. */
  public static final List<String> DEFAULT_IDENTITIES =
      List.of("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key");

  public static final RuntimeConfig EMPTY = new RuntimeConfig(null, null);

  public RuntimeConfig {
    services =
        services == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(services));
    startup = startup == null ? StartupSettings.DEFAULT : startup;
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    secretIdentities =
        secretIdentities == null ? DEFAULT_IDENTITIES : List.copyOf(secretIdentities);
    tailscale = tailscale == null ? TailscaleSettings.DEFAULT : tailscale;
  }

  public RuntimeConfig(Map<String, ServiceSpec> services, StartupSettings startup) {
    this(services, startup, null, null, null);
  }
}
