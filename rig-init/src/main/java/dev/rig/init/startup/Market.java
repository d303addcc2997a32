package dev.rig.init.startup;

import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which platform runs this container, its public IP, and how its container ports are mapped outside
 * (container port → public port), from the variables each market sets.
 */
public record Market(String name, String publicIp, Map<Integer, String> ports) {

  public static Market detect(StepContext ctx) {
    Map<String, String> env = ctx.env();
    if (env.containsKey("VAST_CONTAINERLABEL") || hasPrefix(env, "VAST_TCP_PORT_")) {
      return new Market("vast.ai", ctx.env("PUBLIC_IPADDR"), ports(env, "VAST_TCP_PORT_"));
    }
    if (env.containsKey("RUNPOD_POD_ID")) {
      return new Market("RunPod", ctx.env("RUNPOD_PUBLIC_IP"), ports(env, "RUNPOD_TCP_PORT_"));
    }
    if (env.containsKey("SALAD_MACHINE_ID")) {
      return new Market("Salad", null, Map.of());
    }
    if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
      return new Market("Kubernetes", null, Map.of());
    }
    if (Files.exists(ctx.path("/run/.containerenv"))) {
      return new Market("podman", null, Map.of());
    }
    if (Files.exists(ctx.path("/.dockerenv"))) {
      return new Market("docker", null, Map.of());
    }
    return new Market("unknown (no container markers)", null, Map.of());
  }

  /** One line: "vast.ai, public IP 1.2.3.4, ports 22->41022; ssh -p 41022 root@1.2.3.4". */
  public String describe() {
    StringBuilder b = new StringBuilder(name);
    if (publicIp != null) {
      b.append(", public IP ").append(publicIp);
    }
    if (!ports.isEmpty()) {
      b.append(", ports");
      ports.forEach((in, out) -> b.append(' ').append(in).append("->").append(out));
    }
    String ssh = ports.get(22);
    if (ssh != null && publicIp != null) {
      b.append("; ssh -p ").append(ssh).append(" root@").append(publicIp);
    }
    return b.toString();
  }

  private static boolean hasPrefix(Map<String, String> env, String prefix) {
    return env.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  private static Map<Integer, String> ports(Map<String, String> env, String prefix) {
    Map<Integer, String> ports = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            try {
              ports.put(Integer.parseInt(k.substring(prefix.length())), v);
            } catch (NumberFormatException e) {
              // not a port variable
            }
          }
        });
    return ports;
  }
}
