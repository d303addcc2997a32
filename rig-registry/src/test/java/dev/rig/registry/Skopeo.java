package dev.rig.registry;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** skopeo, the reference client, with the machine's policy bypassed (tests only). */
final class Skopeo {
  private Skopeo() {}

  static Exec.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Tools.require("skopeo", "skopeo").toString());
    command.add("--insecure-policy");
    command.addAll(List.of(args));
    return Exec.run(command, Map.of(), null, Duration.ofMinutes(2));
  }
}
