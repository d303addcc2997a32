package dev.rig.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ssh command line for a non-interactive login as root to an sshd on 127.0.0.1 with one key: no
 * prompts, no host-key checks (each container makes its own host keys), quiet, short connect
 * timeout.
 */
public final class SshCommand {
  private SshCommand() {}

  /**
   * {@code ssh ... root@127.0.0.1 COMMAND}, giving up a connection after {@code connectSeconds}.
   */
  public static List<String> asRoot(int port, Path key, int connectSeconds, String command) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("ssh", "-p", String.valueOf(port), "-i", key.toString()));
    for (String option :
        List.of(
            "BatchMode=yes",
            "StrictHostKeyChecking=no",
            "UserKnownHostsFile=/dev/null",
            "LogLevel=ERROR",
            "ConnectTimeout=" + connectSeconds)) {
      args.add("-o");
      args.add(option);
    }
    args.add("root@127.0.0.1");
    args.add(command);
    return List.copyOf(args);
  }
}
