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

class PythonReportTest {
  @TempDir Path root;

  private String doctor() throws Exception {
    Files.createDirectories(root.resolve("dev/shm"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code =
        Main.execute(
            List.of(
                "doctor", "--root", root.toString(), "--config", root.resolve("none").toString()),
            ps,
            ps,
            Map.of("VIRTUAL_ENV", "/opt/venv"),
            System.nanoTime());
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    return text;
  }

  private void venv(String torchVersionPy) throws Exception {
    Path venv = Files.createDirectories(root.resolve("opt/venv"));
    Files.writeString(
        venv.resolve("pyvenv.cfg"),
        "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.13.5\n"
            + "executable = /usr/bin/python3.13\n");
    Path python = Files.createDirectories(root.resolve("usr/bin")).resolve("python3.13");
    Files.writeString(python, "");
    python.toFile().setExecutable(true);
    if (torchVersionPy != null) {
      Path torch = Files.createDirectories(venv.resolve("lib/python3.13/site-packages/torch"));
      Files.writeString(torch.resolve("version.py"), torchVersionPy);
    }
  }

  @Test
  void reportsTheVenvAndItsPython() throws Exception {
    venv(null);
    assertTrue(
        doctor().contains("rig-init: python: venv /opt/venv (Python 3.13.5, /usr/bin/python3.13)"));
  }

  @Test
  void reportsTorchsCudaAgainstAnOldDriver() throws Exception {
    venv(
        "from typing import Optional\n__version__ = '2.5.1+cu124'\n"
            + "cuda: Optional[str] = '12.4'\ngit_version = 'x'\n");
    Path lib = Files.createDirectories(root.resolve("usr/local/nvidia/lib64"));
    Path src = Files.writeString(root.resolve("f.c"), "int cuInit(int f) { return 0; }\n");
    SharedLibrary.build(src, lib.resolve("libcuda.so.535.54.03"), "libcuda.so.1");
    String text = doctor();
    assertTrue(
        text.contains(
            "python: WARNING: venv /opt/venv (Python 3.13.5, /usr/bin/python3.13); torch"
                + " 2.5.1+cu124 built for CUDA 12.4; driver 535.54.03 is older than the 550.54.14"),
        text);
  }
}
