package dev.rig.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Which TCP ports are in use, without netstat/ss in the image. */
final class Ports {
  private Ports() {}

  /** Listening TCP ports from /proc/net/tcp and tcp6 (state 0A = LISTEN). */
  static Set<Integer> listening(Path proc) {
    Set<Integer> ports = new TreeSet<>();
    for (String f : new String[] {"net/tcp", "net/tcp6"}) {
      try {
        for (String line : Files.readAllLines(proc.resolve(f))) {
          String[] t = line.trim().split("\\s+");
          if (t.length > 3 && t[3].equals("0A") && t[1].contains(":")) {
            ports.add(Integer.parseInt(t[1].substring(t[1].lastIndexOf(':') + 1), 16));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // no /proc (not Linux) or an odd line: report what could be read
      }
    }
    return ports;
  }
}
