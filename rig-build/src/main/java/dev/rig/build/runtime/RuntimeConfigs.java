package dev.rig.build.runtime;

import dev.rig.init.config.LogOptions;
import dev.rig.init.config.ReadinessProbe;
import dev.rig.init.config.RestartPolicy;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.config.SecretSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.config.StartupSettings;
import dev.rig.init.config.TailscaleSettings;
import dev.rig.init.config.TcpCheck;
import dev.rig.spec.RuntimeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's runtime options as rig-init's runtime.json. The records are rig-init's own, so the
 * file's shape is defined once, in rig-init.
 */
public final class RuntimeConfigs {
  /** Where encrypted secrets are kept in the image. */
  public static final String SECRETS_DIR = "/etc/rig/secrets";

  private RuntimeConfigs() {}

  public static RuntimeConfig of(RuntimeSpec spec) {
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    spec.services().forEach((name, service) -> services.put(name, service(service)));
    List<SecretSpec> secrets = new ArrayList<>();
    spec.secrets()
        .forEach(
            (name, secret) ->
                secrets.add(new SecretSpec(name, secretPath(name), secret.mode(), secret.owner())));
    StartupSettings startup =
        new StartupSettings(
            spec.sshd().enable(),
            spec.sshd().port(),
            spec.sshd().listenAddress().orElse(null),
            null,
            null,
            null,
            null,
            spec.extraStartupScript().isBlank() ? null : spec.extraStartupScript(),
            (long) spec.shmMinimumMib() << 20,
            null,
            null,
            seconds(spec.extraStartupScriptTimeout()));
    RuntimeSpec.Tailscale tailscale = spec.tailscale();
    return new RuntimeConfig(
        services,
        startup,
        secrets,
        spec.secretIdentities(),
        new TailscaleSettings(
            tailscale.enable(),
            tailscale.authKeySecret().orElse(null),
            tailscale.hostname().orElse(null),
            tailscale.extraArgs()));
  }

  /** The image path of secret {@code name}'s encrypted file. */
  public static String secretPath(String name) {
    return SECRETS_DIR + "/" + name + ".age";
  }

  private static ServiceSpec service(RuntimeSpec.Service s) {
    RestartPolicy policy = RestartPolicy.of(s.restart());
    return new ServiceSpec(
        s.command(),
        s.env(),
        s.workingDir().orElse(null),
        new RestartSpec(policy, s.maxRestarts(), seconds(s.restartDelay()), null, null),
        s.stopSignal(),
        seconds(s.stopTimeout()),
        s.dependsOn(),
        s.readiness().map(RuntimeConfigs::readiness).orElse(null),
        s.configData(),
        new LogOptions(null, s.logFile(), null, null),
        s.essential());
  }

  private static ReadinessProbe readiness(RuntimeSpec.Readiness r) {
    return new ReadinessProbe(
        r.tcpPort().map(port -> new TcpCheck("127.0.0.1", port)).orElse(null),
        r.httpUrl().orElse(null),
        r.exec().orElse(null),
        r.file().orElse(null),
        null,
        seconds(r.timeout()),
        null);
  }

  private static Duration seconds(double value) {
    return Duration.ofMillis(Math.round(value * 1000));
  }
}
