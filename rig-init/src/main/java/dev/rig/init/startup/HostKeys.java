package dev.rig.init.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Generates missing SSH host keys at start, so two containers from one image never share a host
 * key.
 *
 * <p>Why RSA is deferred: an RSA key takes 0.1 to 1 s of CPU, more than everything else between
 * container start and sshd accepting. ed25519 (and ecdsa) keys take milliseconds, are generated
 * here, and let sshd start at once; RSA keys are generated in the background and {@link
 * #background()} completes when they exist, so the caller can rewrite sshd_config and reload sshd
 * (SIGHUP) for clients that only speak RSA.
 */
public final class HostKeys implements StartupStep {
  private static final List<String> SLOW = List.of("rsa");

  /** The size of generated RSA host keys; 3072 bits is the least NIST accepts past 2030. */
  static final int RSA_BITS = 3072;

  private CompletableFuture<List<String>> background = CompletableFuture.completedFuture(List.of());

  @Override
  public String name() {
    return "ssh-host-keys";
  }

  /** The private key path (a container path) for one type. */
  public static String keyPath(String type) {
    return "/etc/ssh/ssh_host_" + type + "_key";
  }

  /** Completes with the types generated in the background (empty when none were needed). */
  public CompletableFuture<List<String>> background() {
    return background;
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    if (!ctx.settings().sshd()) {
      return StepResult.skipped(name(), "sshd is off");
    }
    Files.createDirectories(ctx.path("/etc/ssh"));
    List<String> present = new ArrayList<>();
    List<String> now = new ArrayList<>();
    List<String> later = new ArrayList<>();
    for (String type : ctx.settings().sshHostKeyTypes()) {
      if (Files.exists(ctx.path(keyPath(type)))) {
        present.add(type);
      } else {
        (SLOW.contains(type) ? later : now).add(type);
      }
    }
    if (now.isEmpty() && present.isEmpty()) {
      now.addAll(later); // nothing fast to start with: sshd needs at least one key
      later.clear();
    }
    Map<String, CompletableFuture<Commands.Output>> jobs = start(ctx, now);
    List<String> made = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<Commands.Output>> j : jobs.entrySet()) {
      Commands.Output out = j.getValue().join();
      if (out.ok()) {
        made.add(j.getKey());
      } else {
        problems.add(j.getKey() + ": " + out.firstLine());
      }
    }
    if (!later.isEmpty()) {
      Map<String, CompletableFuture<Commands.Output>> slow = start(ctx, later);
      background =
          CompletableFuture.allOf(slow.values().toArray(CompletableFuture[]::new))
              .thenApply(
                  v ->
                      slow.entrySet().stream()
                          .filter(e -> e.getValue().join().ok())
                          .map(Map.Entry::getKey)
                          .toList());
    }
    List<String> parts = new ArrayList<>();
    if (!made.isEmpty()) {
      parts.add("generated " + String.join(", ", made));
    }
    if (!later.isEmpty()) {
      parts.add("generating " + String.join(", ", later) + " in the background");
    }
    if (!present.isEmpty()) {
      parts.add("kept " + String.join(", ", present));
    }
    String msg = String.join("; ", parts);
    if (!problems.isEmpty()) {
      if (made.isEmpty() && present.isEmpty()) {
        return StepResult.failed(
            name(),
            "no host key could be made (" + String.join("; ", problems) + "); sshd cannot start");
      }
      return StepResult.warning(name(), msg + "; failed " + String.join("; ", problems));
    }
    return StepResult.ok(name(), msg);
  }

  private static Map<String, CompletableFuture<Commands.Output>> start(
      StepContext ctx, List<String> types) throws Exception {
    Map<String, CompletableFuture<Commands.Output>> jobs = new LinkedHashMap<>();
    for (String type : types) {
      Path key = ctx.path(keyPath(type));
      Files.deleteIfExists(key.resolveSibling(key.getFileName() + ".pub"));
      List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type));
      if (type.equals("rsa")) {
        argv.addAll(
            List.of("-b", Integer.toString(RSA_BITS))); // explicit: older defaults were 2048
      }
      argv.addAll(List.of("-N", "", "-C", "", "-f", key.toString()));
      jobs.put(type, CompletableFuture.supplyAsync(() -> Commands.run(argv, null, 120)));
    }
    return jobs;
  }
}
