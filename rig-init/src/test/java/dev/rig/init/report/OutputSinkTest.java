package dev.rig.init.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The main program writes to the file descriptor rig-init prints on, outside the sink's lock: a
 * line must reach it in one write, or the program's output lands between a line and its newline
 * (seen as "...from its next startcerts 148" in a container log).
 */
class OutputSinkTest {
  /** Records each write call as the bytes it carried. */
  private static final class Writes extends OutputStream {
    final List<String> calls = new ArrayList<>();

    @Override
    public void write(int b) {
      calls.add(String.valueOf((char) b));
    }

    @Override
    public void write(byte[] b, int off, int len) {
      calls.add(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  @Test
  void eachLineIsOneWrite() {
    Writes writes = new Writes();
    OutputSink sink = new OutputSink(writes);
    byte[] text = "xxsshd: host key readyxx".getBytes(StandardCharsets.UTF_8);
    sink.line("rig-init: ".getBytes(StandardCharsets.UTF_8), text, 2, text.length - 4);
    sink.say("stopping");
    assertEquals(
        List.of("rig-init: sshd: host key ready\n", "[rig-init] stopping\n"), writes.calls);
  }
}
