package dev.rig.init.supervise;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts services in their own process group and signals whole groups.
 *
 * <p>Why a group: a stop signal sent only to the service's pid leaves its children running (the
 * tini#236 complaint); signalling the group reaches grandchildren too, even ones that were
 * re-parented after their parent died, which {@code ProcessHandle.descendants()} cannot find.
 *
 * <p>How, without native code: the service is launched through util-linux {@code setsid} (Debian
 * marks util-linux essential, so every Debian/Ubuntu based image has it). A child of the JVM is
 * never a group leader, so setsid calls setsid(2) and execs in place: the pid Java sees is the
 * service itself and equals its process-group id. The JVM cannot signal a group either, so the
 * group is signalled by {@code /bin/sh -c 'kill -s SIG -- -PGID'}, the shell's builtin kill, which
 * needs no procps in the image. Stops are rare, so a short-lived sh is an acceptable cost.
 */
public final class ProcessGroups {
  private ProcessGroups() {}

  /** The argv that runs {@code argv} as leader of a new session and process group. */
  public static List<String> inNewGroup(List<String> argv) {
    List<String> full = new ArrayList<>(argv.size() + 2);
    full.add("setsid");
    full.add("--");
    full.addAll(argv);
    return full;
  }

  /**
   * Sends {@code signal} (a name like TERM) to every process in group {@code pgid}; false when no
   * process was left to signal.
   */
  public static boolean signal(long pgid, String signal) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("refusing to signal process group " + pgid);
    }
    return kill(signal, "-" + pgid);
  }

  /** Sends {@code signal} to the one process {@code pid} (a reload must not reach sessions). */
  public static boolean signalProcess(long pid, String signal) {
    if (pid <= 1) {
      throw new IllegalArgumentException("refusing to signal process " + pid);
    }
    return kill(signal, Long.toString(pid));
  }

  private static boolean kill(String signal, String target) {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", "kill -s \"$0\" -- \"$1\" 2>/dev/null", signal, target)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
