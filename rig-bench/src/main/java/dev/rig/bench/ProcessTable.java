package dev.rig.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The processes of a container as {@code grep -H -E '^(Name|PPid|VmRSS):' /proc/[0-9]*&#47;status}
 * prints them inside it, for the footprint row: the supervisor's memory is that of the process sshd
 * was started by, whatever it is called (a JVM, or a native rig-init), so the row follows whatever
 * rig ships.
 */
record ProcessTable(Map<Long, Entry> byPid) {

  /** One process: its name, parent, and resident memory in bytes (0 for a kernel-less zombie). */
  record Entry(long pid, String name, long parent, long rssBytes) {}

  static ProcessTable parse(String grepOutput) {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> parents = new HashMap<>();
    Map<Long, Long> rss = new HashMap<>();
    for (String line : grepOutput.lines().toList()) {
      // /proc/123/status:VmRSS:	   41236 kB
      if (!line.startsWith("/proc/")) {
        continue;
      }
      int slash = line.indexOf('/', 6);
      int colon = line.indexOf(':', slash);
      if (slash < 0 || colon < 0) {
        continue;
      }
      long pid;
      try {
        pid = Long.parseLong(line.substring(6, slash));
      } catch (NumberFormatException e) {
        continue;
      }
      String rest = line.substring(colon + 1);
      int sep = rest.indexOf(':');
      if (sep < 0) {
        continue;
      }
      String key = rest.substring(0, sep);
      String value = rest.substring(sep + 1).strip();
      switch (key) {
        case "Name" -> names.put(pid, value);
        case "PPid" -> parents.put(pid, Long.parseLong(value));
        case "VmRSS" -> rss.put(pid, Long.parseLong(value.split("\\s+")[0]) * 1024);
        default -> {}
      }
    }
    Map<Long, Entry> byPid = new TreeMap<>();
    names.forEach(
        (pid, name) ->
            byPid.put(
                pid,
                new Entry(pid, name, parents.getOrDefault(pid, 0L), rss.getOrDefault(pid, 0L))));
    return new ProcessTable(Map.copyOf(byPid));
  }

  /** The process that started the listening sshd (the sshd whose parent is no sshd). */
  Optional<Entry> sshdSupervisor() {
    List<Entry> listeners =
        byPid.values().stream()
            .filter(e -> e.name().equals("sshd") || e.name().startsWith("sshd-"))
            .filter(e -> !isSshd(byPid.get(e.parent())))
            .toList();
    return listeners.stream().map(e -> byPid.get(e.parent())).filter(p -> p != null).findFirst();
  }

  private static boolean isSshd(Entry e) {
    return e != null && (e.name().equals("sshd") || e.name().startsWith("sshd-"));
  }
}
