package dev.rig.init.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.report.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGroupsTest {
  @Test
  void groupKillReachesGrandchildren(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Process p =
        new ProcessBuilder(
                ProcessGroups.inNewGroup(
                    List.of("sh", "-c", "sleep 1000 & echo $! > " + pidFile + "; wait")))
            .start();
    long deadline = System.currentTimeMillis() + 5000;
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      assertTrue(System.currentTimeMillis() < deadline, "grandchild never started");
      Thread.sleep(20);
    }
    long grandchild = Long.parseLong(Files.readString(pidFile).trim());
    assertTrue(ProcessGroups.signal(p.pid(), "KILL"));
    assertTrue(p.waitFor(5, TimeUnit.SECONDS));
    deadline = System.currentTimeMillis() + 5000;
    while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)) {
      assertTrue(System.currentTimeMillis() < deadline, "grandchild survived the group kill");
      Thread.sleep(20);
    }
  }

  @Test
  void linesArePrefixedAndOtherwiseUnchanged() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputSink sink = new OutputSink(out);
    Process p =
        new ProcessBuilder("sh", "-c", "printf 'a  b\\n\\tc é\\nlast'")
            .redirectErrorStream(true)
            .start();
    Thread t = new LinePump(p.getInputStream(), sink, "web", true).start();
    t.join(5000);
    assertEquals("[web] a  b\n[web] \tc é\n[web] last\n", out.toString(StandardCharsets.UTF_8));
  }
}
