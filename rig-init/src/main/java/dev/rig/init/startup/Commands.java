package dev.rig.init.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short helper program (chmod, ssh-keygen, ldconfig, openssl) and captures its output. */
final class Commands {
  private Commands() {}

  record Output(int code, String text) {
    boolean ok() {
      return code == 0;
    }

    /** The first line of the output, for one-line messages. */
    String firstLine() {
      String t = text.strip();
      int nl = t.indexOf('\n');
      return nl < 0 ? t : t.substring(0, nl);
    }
  }

  static Output run(List<String> argv, String stdin, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Output(124, argv.get(0) + " timed out");
      }
      return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Output(127, argv.get(0) + " could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Output(130, "interrupted");
    }
  }
}
