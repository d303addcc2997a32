package dev.rig.init;

import dev.rig.init.config.DependencyOrder;
import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.startup.SshdConfig;
import dev.rig.init.startup.StepContext;
import dev.rig.init.startup.TailscaleServices;
import java.util.ArrayList;
import java.util.List;

/**
 * The order {@code run} starts services in, which is the order {@code status} lists them: first the
 * ways in that rig-init adds itself (sshd, then tailscaled and tailscale-up), then the services of
 * runtime.json, each after what it depends on. {@code validate} prints it, so it has to come from
 * the same decisions {@link Run} makes, not from runtime.json alone.
 */
final class StartOrder {
  private StartOrder() {}

  /** The built-in services {@link Run} puts in front of runtime.json's, in that order. */
  static List<String> builtIn(RuntimeConfig config, StepContext ctx) {
    List<String> names = new ArrayList<>();
    if (config.startup().sshd()) {
      names.add(SshdConfig.SERVICE);
    }
    names.addAll(TailscaleServices.names(ctx, config.tailscale()));
    return List.copyOf(names);
  }

  /**
   * Every service in start order. A runtime.json service with a built-in's name replaces it in
   * place, as in {@link Run}. sshd is listed even though {@code run} skips it when the platform's
   * sshd already holds the port: that depends on the moment, not on the configuration.
   */
  static List<String> of(RuntimeConfig config, StepContext ctx) {
    List<String> order = new ArrayList<>(builtIn(config, ctx));
    for (String name : DependencyOrder.startOrder(config.services())) {
      if (!order.contains(name)) {
        order.add(name);
      }
    }
    return List.copyOf(order);
  }
}
