package dev.rig.init.startup;

import dev.rig.init.config.ReadinessProbe;
import dev.rig.init.config.RestartPolicy;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.SecretSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.config.TailscaleSettings;
import dev.rig.init.report.Event;
import dev.rig.init.report.Reporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in Tailscale services: tailscaled in userspace networking (containers rarely get
 * /dev/net/tun or NET_ADMIN), then a one-shot {@code tailscale up} once tailscaled's socket exists.
 *
 * <p>The auth key is passed as {@code --authkey=file:PATH}, never on the command line, where any
 * process could read it from /proc. TS_AUTHKEY is written to a 0400 file in the secrets directory
 * for that reason. Without a key tailscaled still runs, so a user can log in interactively.
 */
public final class TailscaleServices {
  public static final String DAEMON = "/usr/sbin/tailscaled";
  public static final String CLI = "/usr/bin/tailscale";
  static final String STATE = "/var/lib/tailscale/tailscaled.state";
  static final String SOCKET = "/run/tailscale/tailscaled.sock";
  static final String SOURCE = "tailscale";

  private TailscaleServices() {}

  /** The daemon's service name; tailscale-up depends on it. */
  public static final String DAEMON_SERVICE = "tailscaled";

  /** The one-shot login's service name, there only when an auth key is. */
  public static final String UP_SERVICE = "tailscale-up";

  /**
   * The names {@link #plan} adds, decided the same way but without touching anything, for {@code
   * rig-init validate}.
   */
  public static List<String> names(StepContext ctx, TailscaleSettings ts) {
    if (!ts.enable() || !installed(ctx)) {
      return List.of();
    }
    return hasAuthKey(ctx, ts) ? List.of(DAEMON_SERVICE, UP_SERVICE) : List.of(DAEMON_SERVICE);
  }

  private static boolean installed(StepContext ctx) {
    return Files.isExecutable(ctx.path(DAEMON));
  }

  private static boolean hasAuthKey(StepContext ctx, TailscaleSettings ts) {
    return ts.authKeySecret() != null || ctx.env("TS_AUTHKEY") != null;
  }

  /** The services to add (none when disabled or not installed), reporting what it decided. */
  public static Map<String, ServiceSpec> plan(
      StepContext ctx, TailscaleSettings ts, Reporter reporter) throws IOException {
    Map<String, ServiceSpec> out = new LinkedHashMap<>();
    if (!ts.enable()) {
      return out;
    }
    Path daemon = ctx.path(DAEMON);
    if (!installed(ctx)) {
      reporter.report(
          Event.warn(
              SOURCE,
              "tailscale.enable is set but "
                  + DAEMON
                  + " is missing; add the tailscale package (and its apt repository) to the image"));
      return out;
    }
    Path socket = ctx.path(SOCKET);
    Path state = ctx.path(STATE);
    Files.createDirectories(socket.getParent());
    Files.createDirectories(state.getParent());
    ServiceSpec daemonSpec =
        ServiceSpec.of(
                List.of(
                    daemon.toString(),
                    "--tun=userspace-networking",
                    "--state=" + state,
                    "--socket=" + socket))
            .withReadiness(
                new ReadinessProbe(null, null, null, socket.toString(), null, null, null));
    out.put(DAEMON_SERVICE, daemonSpec);
    if (!hasAuthKey(ctx, ts)) {
      reporter.report(
          Event.info(
              SOURCE,
              "tailscaled runs without an auth key; to join a tailnet run `tailscale up` in a shell"
                  + " and open the URL it prints (or set tailscale.authKeySecret or TS_AUTHKEY)"));
      return out;
    }
    Path key = authKeyFile(ctx, ts);
    List<String> up = new ArrayList<>();
    up.add(ctx.path(CLI).toString());
    up.add("--socket=" + socket);
    up.add("up");
    up.add("--authkey=file:" + key);
    if (ts.hostname() != null) {
      up.add("--hostname=" + ts.hostname());
    }
    up.addAll(ts.extraArgs());
    // One-shot: exit 0 ends it; a failure (control plane not reachable yet) is retried a few times.
    RestartSpec retry = new RestartSpec(RestartPolicy.ON_FAILURE, 3, null, null, null);
    out.put(
        UP_SERVICE, ServiceSpec.of(up).withDependsOn(List.of(DAEMON_SERVICE)).withRestart(retry));
    return out;
  }

  /** The key file: the named secret, else TS_AUTHKEY written to a private file. */
  private static Path authKeyFile(StepContext ctx, TailscaleSettings ts) throws IOException {
    Path secrets = ctx.path(ctx.settings().secretsDir());
    if (ts.authKeySecret() != null) {
      return secrets.resolve(ts.authKeySecret());
    }
    String env = ctx.env("TS_AUTHKEY"); // present: hasAuthKey said so
    Path file = secrets.resolve("tailscale-authkey");
    Files.createDirectories(secrets);
    Secrets.write(
        file,
        (env.strip() + "\n").getBytes(StandardCharsets.UTF_8),
        new SecretSpec(
            file.getFileName().toString(), null, "0400", System.getProperty("user.name")));
    return file;
  }
}
