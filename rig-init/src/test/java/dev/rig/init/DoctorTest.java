package dev.rig.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.SharedLibrary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
  @Test
  void doctorReportsTheFakeDriverNoDeviceShmSshAndMarket(@TempDir Path root) throws Exception {
    Path lib = root.resolve("usr/local/nvidia/lib64");
    Files.createDirectories(lib);
    Path src = Files.writeString(root.resolve("f.c"), "int cuInit(int f) { return 0; }\n");
    SharedLibrary.build(src, lib.resolve("libcuda.so.535.54.03"), "libcuda.so.1");
    Files.createDirectories(root.resolve("dev/shm"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code =
        Main.execute(
            List.of(
                "doctor", "--root", root.toString(), "--config", root.resolve("none").toString()),
            ps,
            ps,
            Map.of("CUDA_VERSION", "12.4.1", "RUNPOD_POD_ID", "abc", "RUNPOD_PUBLIC_IP", "9.9.9.9"),
            System.nanoTime());
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    assertTrue(text.contains("rig-init: gpu: 1 driver library"), text);
    assertTrue(text.contains("no device"), text);
    assertTrue(
        text.contains(
            "gpu-driver: WARNING: driver 535.54.03 (from /usr/local/nvidia/lib64/libcuda.so.535.54.03)"
                + " is older than 550.54.14"),
        text);
    assertTrue(text.contains("rig-init: shm: /dev/shm is"), text);
    assertTrue(
        text.contains("rig-init: ssh: WARNING: host keys none; 0 authorized keys; port 22"), text);
    assertTrue(text.contains("rig-init: market: RunPod, public IP 9.9.9.9"), text);
  }

  /** sshd's port is looked up in the kernel's table of listening sockets, not connected to. */
  @Test
  void sshIsListeningWhenTheKernelTableSaysSo(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc/net"));
    Files.writeString(
        root.resolve("proc/net/tcp"),
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
            + "   0: 0100007F:08FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0\n");
    Path config =
        Files.writeString(
            root.resolve("runtime.json"), "{\"startup\": {\"sshd\": true, \"sshPort\": 2299}}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code =
        Main.execute(
            List.of("doctor", "--root", root.toString(), "--config", config.toString()),
            ps,
            ps,
            Map.of(),
            System.nanoTime());
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    assertTrue(text.contains("port 2299 accepting"), text);
    assertTrue(text.contains("ports: listening on [2299]"), text);
  }
}
