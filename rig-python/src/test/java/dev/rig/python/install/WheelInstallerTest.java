package dev.rig.python.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.testkit.BinaryTestWheel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelInstallerTest {
  private static final VenvLayout LAYOUT =
      new VenvLayout("/opt/venv", "3.13.5", "/usr/bin/python3.13");
  private static final String SITE = "lib/python3.13/site-packages/";

  @TempDir Path dir;

  private Path wheel(BinaryTestWheel wheel) throws IOException {
    Path file = dir.resolve(wheel.fileName());
    Files.write(file, wheel.bytes());
    return file;
  }

  private Path venv(String name) throws IOException {
    Path venv = dir.resolve(name);
    VenvSkeleton.write(venv, LAYOUT);
    return venv;
  }

  @Test
  void laysOutPackagesScriptsDataAndEntryPointsAsPep427Says() throws IOException {
    Path venv = venv("venv");
    Path hello =
        wheel(
            BinaryTestWheel.of("Hello-World", "1.2")
                .file("hello/__init__.py", "def main():\n    print('hi')\n")
                .file("hello_world-1.2.data/scripts/hello-sh", "#!python\nprint('script')\n")
                .file("hello_world-1.2.data/data/share/hello/greeting.txt", "hi\n")
                .file("hello_world-1.2.data/headers/hello.h", "int x;\n")
                .file("hello_world-1.2.data/platlib/hello_native.py", "X = 1\n")
                .consoleScript("hello", "hello:main"));
    List<InstalledDistribution> installed =
        new WheelInstaller(LAYOUT).install(venv, List.of(hello));

    assertEquals("Hello-World", installed.get(0).name());
    assertTrue(Files.isRegularFile(venv.resolve(SITE + "hello/__init__.py")));
    assertTrue(Files.isRegularFile(venv.resolve(SITE + "hello_native.py")));
    assertTrue(Files.isRegularFile(venv.resolve("share/hello/greeting.txt")));
    assertTrue(Files.isRegularFile(venv.resolve("include/site/python3.13/Hello-World/hello.h")));
    assertEquals(
        "#!/opt/venv/bin/python\nprint('script')\n",
        Files.readString(venv.resolve("bin/hello-sh")));
    String launcher = Files.readString(venv.resolve("bin/hello"));
    assertTrue(launcher.startsWith("#!/opt/venv/bin/python\n"), launcher);
    assertTrue(launcher.contains("from hello import main"), launcher);
    assertTrue(launcher.contains("sys.exit(main())"), launcher);
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(venv.resolve("bin/hello"))));
    assertEquals(
        "rig\n", Files.readString(venv.resolve(SITE + "hello_world-1.2.dist-info/INSTALLER")));
    String record = Files.readString(venv.resolve(SITE + "hello_world-1.2.dist-info/RECORD"));
    assertTrue(record.contains("hello/__init__.py,sha256="), record);
    assertTrue(record.contains("../../../bin/hello,sha256="), record);
    assertTrue(record.contains("hello_world-1.2.dist-info/RECORD,,"), record);
    assertTrue(record.contains("hello_world-1.2.dist-info/INSTALLER,sha256="), record);
    assertEquals(
        "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.13.5\n"
            + "executable = /usr/bin/python3.13\n"
            + "command = /usr/bin/python3.13 -m venv --without-pip /opt/venv\n",
        Files.readString(venv.resolve("pyvenv.cfg")));
    assertEquals(
        "/usr/bin/python3.13", Files.readSymbolicLink(venv.resolve("bin/python")).toString());
  }

  @Test
  void twoWheelsWritingOneFileAreRefusedNamingBoth() throws IOException {
    Path venv = venv("venv");
    Path a = wheel(BinaryTestWheel.of("a", "1").file("shared/util.py", "A = 1\n"));
    Path b = wheel(BinaryTestWheel.of("b", "1").file("shared/util.py", "B = 1\n"));
    WheelException e =
        assertThrows(
            WheelException.class, () -> new WheelInstaller(LAYOUT).install(venv, List.of(a, b)));
    assertTrue(e.getMessage().contains("a-1-py3-none-any.whl"), e.getMessage());
    assertTrue(e.getMessage().contains("b-1-py3-none-any.whl"), e.getMessage());
    assertTrue(e.getMessage().contains(SITE + "shared/util.py"), e.getMessage());
  }

  @Test
  void anEntryLeavingTheVenvIsRefused() throws IOException {
    Path venv = venv("venv");
    Path evil = wheel(BinaryTestWheel.of("evil", "1").file("../../etc/passwd", "x"));
    WheelException e =
        assertThrows(
            WheelException.class, () -> new WheelInstaller(LAYOUT).install(venv, List.of(evil)));
    assertTrue(e.getMessage().contains("outside the venv"), e.getMessage());
  }

  @Test
  void theSameWheelsGiveTheSameBytesAndALargeWheelKeepsItsLayerWhenASmallOneChanges()
      throws IOException {
    byte[] big = new byte[(int) VenvLayers.LARGE_WHEEL_BYTES];
    new java.util.Random(7).nextBytes(big);
    Path large = wheel(BinaryTestWheel.of("large", "1").file("large/blob.bin", big));
    Path small1 = wheel(BinaryTestWheel.of("small", "1").file("small/__init__.py", "V = 1\n"));
    Path small2 = wheel(BinaryTestWheel.of("small", "2").file("small/__init__.py", "V = 2\n"));

    List<LayerInput> first = layers("v1", List.of(large, small1));
    List<LayerInput> again = layers("v1b", List.of(large, small1));
    List<LayerInput> second = layers("v2", List.of(large, small2));

    assertEquals(2, first.size());
    assertTrue(first.get(0).createdBy().startsWith("python: large==1"), first.get(0).createdBy());
    assertEquals(describe(first), describe(again));
    assertEquals(describe(first.subList(0, 1)), describe(second.subList(0, 1)));
    assertNotEquals(describe(first.subList(1, 2)), describe(second.subList(1, 2)));
    assertEquals(1, layers("v3", List.of(large, small1), 1).size(), "a budget of one merges all");
  }

  private List<LayerInput> layers(String name, List<Path> wheels) throws IOException {
    return layers(name, wheels, 10);
  }

  private List<LayerInput> layers(String name, List<Path> wheels, int budget) throws IOException {
    Path venv = venv(name);
    List<InstalledDistribution> installed = new WheelInstaller(LAYOUT).install(venv, wheels);
    return VenvLayers.split(venv, LAYOUT, installed, budget);
  }

  /** Paths, modes and contents: what decides a layer's bytes. */
  private static String describe(List<LayerInput> layers) throws IOException {
    StringBuilder text = new StringBuilder();
    for (LayerInput layer : layers) {
      text.append(layer.createdBy()).append('\n');
      for (LayerEntry e : layer.entries()) {
        text.append(e.path()).append(' ').append(e.type()).append(' ').append(e.mode());
        if (e.content() != null) {
          try (var in = e.content().open()) {
            text.append(' ').append(BinaryTestWheel.sha256Hex(in.readAllBytes()));
          }
        }
        if (e.linkTarget() != null) {
          text.append(" -> ").append(e.linkTarget());
        }
        text.append('\n');
      }
    }
    return text.toString();
  }
}
