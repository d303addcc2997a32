package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Tools;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintainer scripts run as root in the image but with a default container's capabilities: they may
 * own files by package users, never mount, make devices or gain privileges through setuid.
 */
class SandboxTest {
  @TempDir Path dir;
  private Sandbox sandbox;

  @BeforeEach
  void tinyRoot() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("setpriv", "util-linux");
    // The static busybox runs with nothing else in the root: no libraries, no loader.
    Path busybox = Tools.require("busybox", "busybox-static");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("mnt"));
    Files.copy(busybox, root.resolve("bin/busybox"));
    for (String applet :
        List.of("sh", "cat", "mount", "mknod", "mkfifo", "unshare", "grep", "chown", "stat")) {
      Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
    }
    sandbox = Sandbox.of(root, 0);
  }

  private Sandbox.Result sh(String script) throws Exception {
    return sandbox.run(List.of("/bin/busybox", "sh", "-c", script), Map.of(), 30);
  }

  /** Read in a program the shell starts, so what an exec keeps is what counts. */
  @Test
  void scriptsHoldOnlyAContainersCapabilities() throws Exception {
    Sandbox.Result status = sh("/bin/busybox cat /proc/self/status");
    assertEquals(0, status.exitCode(), status.output());
    BigInteger effective = new BigInteger(field(status.output(), "CapEff"), 16);
    assertTrue(effective.testBit(0), "CAP_CHOWN kept: " + effective.toString(16));
    assertFalse(effective.testBit(2), "CAP_DAC_READ_SEARCH dropped: " + effective.toString(16));
    assertFalse(effective.testBit(16), "CAP_SYS_MODULE dropped: " + effective.toString(16));
    assertFalse(effective.testBit(21), "CAP_SYS_ADMIN dropped: " + effective.toString(16));
    assertFalse(effective.testBit(27), "CAP_MKNOD dropped: " + effective.toString(16));
    assertEquals("1", field(status.output(), "NoNewPrivs"), status.output());
    assertEquals("2", field(status.output(), "Seccomp"), "a seccomp filter: " + status.output());
  }

  /**
   * The seccomp filter refuses what no package script needs even where a capability would not: a
   * new (user) namespace, a device node; a fifo is still fine.
   */
  @Test
  void theFilterRefusesNamespacesButNotFifos() throws Exception {
    Sandbox.Result unshare = sh("/bin/unshare -U /bin/busybox true");
    assertNotEquals(0, unshare.exitCode(), "a new namespace in the sandbox: " + unshare.output());
    Sandbox.Result fifo = sh("/bin/mkfifo /tmp/fifo && /bin/stat -c %F /tmp/fifo");
    assertEquals(0, fifo.exitCode(), fifo.output());
    assertTrue(fifo.output().contains("fifo"), fifo.output());
  }

  @Test
  void scriptsCannotMountOrMakeDevices() throws Exception {
    Sandbox.Result mount = sh("/bin/mount -t tmpfs none /mnt");
    assertNotEquals(0, mount.exitCode(), "mount worked in the sandbox: " + mount.output());
    Sandbox.Result mknod = sh("/bin/mknod /tmp/null c 1 3");
    assertNotEquals(0, mknod.exitCode(), "mknod worked in the sandbox: " + mknod.output());
  }

  @Test
  void scriptsStillOwnFilesByPackageUsers() throws Exception {
    Sandbox.Result chown =
        sh("echo x > /tmp/f && /bin/chown 100:101 /tmp/f && /bin/stat -c %u:%g /tmp/f");
    assertEquals(0, chown.exitCode(), chown.output());
    assertEquals("100:101", chown.output().strip());
  }

  /**
   * A niced sandbox (rig-init's Java link, beside the install) runs its commands at nice 19, and a
   * read-only one cannot write to its root; the plain one runs at the caller's priority.
   */
  @Test
  void aNicedReadOnlySandboxYieldsTheCpuAndWritesNothing() throws Exception {
    Sandbox low = sandbox.readOnly().niced();
    // /proc/self/stat's 19th field is the nice value; the command's name has no spaces here.
    Sandbox.Result stat = low.run(List.of("/bin/busybox", "cat", "/proc/self/stat"), Map.of(), 30);
    assertEquals(0, stat.exitCode(), stat.output());
    assertEquals("19", stat.output().strip().split(" ")[18], stat.output());
    Sandbox.Result plain =
        sandbox.run(List.of("/bin/busybox", "cat", "/proc/self/stat"), Map.of(), 30);
    assertEquals(ownNice(), plain.output().strip().split(" ")[18], "the plain sandbox is niced");
    Sandbox.Result write =
        low.run(List.of("/bin/busybox", "sh", "-c", "echo x > /mnt/f"), Map.of(), 30);
    assertNotEquals(0, write.exitCode(), "wrote into a read-only root: " + write.output());
    assertFalse(Files.exists(dir.resolve("root/mnt/f")));
  }

  /** This JVM's nice value, from its /proc/self/stat (after the command name's parenthesis). */
  private static String ownNice() throws Exception {
    return Files.readString(Path.of("/proc/self/stat")).replaceAll("^.*\\) ", "").split(" ")[16];
  }

  private static String field(String status, String name) {
    return status
        .lines()
        .filter(line -> line.startsWith(name + ":"))
        .map(line -> line.substring(name.length() + 1).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in\n" + status));
  }
}
