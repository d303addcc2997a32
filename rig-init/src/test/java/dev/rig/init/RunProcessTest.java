package dev.rig.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rig-init as a real process: exit codes, signals, reverse-order stop, status. */
class RunProcessTest {
  @Test
  void mainCommandExitCodeBecomesRigInitsAfterServicesStop(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("svc-stopped");
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"services\":{\"svc\":{\"argv\":[\"sh\",\"-c\",\"trap 'echo > "
                + marker
                + "; exit 0' TERM; while :; do sleep 0.1; done\"]}}}");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of(
                "run",
                "--config",
                cfg.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--",
                "sh",
                "-c",
                "sleep 0.5; exit 3"),
            Map.of(),
            log);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "rig-init did not exit");
    String out = Files.readString(log);
    assertEquals(3, p.exitValue(), out);
    assertTrue(Files.exists(marker), "service did not get SIGTERM:\n" + out);
    assertTrue(out.contains("main: exited with code 3; stopping services"), out);
  }

  @Test
  void aSecretThatCannotBeDecryptedStopsStartupWithExitOne(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("svc-ran");
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"secrets\":[{\"name\":\"api\",\"source\":\"/etc/rig/secrets/api.age\"}],"
                + "\"services\":{\"svc\":{\"argv\":[\"touch\",\""
                + marker
                + "\"]}}}");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", dir.resolve("root").toString()),
            Map.of(),
            log);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "rig-init did not exit");
    String out = Files.readString(log);
    assertEquals(1, p.exitValue(), out);
    assertTrue(
        out.contains(
            "rig-init: secrets: ERROR: secret 'api': /etc/rig/secrets/api.age does not exist"),
        out);
    assertTrue(!Files.exists(marker), "services must not start:\n" + out);
  }

  @Test
  void sigtermStopsServicesInReverseOrderAndExitsZero(@TempDir Path dir) throws Exception {
    Tools.require("perl", "perl-base");
    int port = RigInitProcess.freePort();
    Path order = dir.resolve("order");
    String server =
        "use IO::Socket::INET; $SIG{TERM}=sub{open(F,'>>"
            + order
            + "');print F \"db\\n\";close F;exit 0};"
            + "my $s=IO::Socket::INET->new(LocalAddr=>'127.0.0.1',LocalPort=>"
            + port
            + ",Listen=>5,ReuseAddr=>1) or die; while(1){my $c=$s->accept; close $c if $c}";
    String json =
        "{\"services\":{"
            + "\"web\":{\"argv\":[\"sh\",\"-c\",\"trap 'echo web >> "
            + order
            + "; exit 0' TERM; while :; do sleep 0.1; done\"],\"dependsOn\":[\"db\"]},"
            + "\"stubborn\":{\"argv\":[\"sh\",\"-c\",\"trap '' TERM; while :; do sleep 0.1;"
            + " done\"],\"stopTimeout\":\"500ms\"},"
            + "\"db\":{\"argv\":[\"perl\",\"-e\","
            + TextNode.valueOf(server)
            + "],\"readiness\":{\"tcp\":{\"port\":"
            + port
            + "}}}}}";
    Path cfg = Files.writeString(dir.resolve("runtime.json"), json);
    Path root = dir.resolve("root");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", root.toString()), Map.of(), log);
    Path status = root.resolve("run/rig/status.json");
    long deadline = System.currentTimeMillis() + 20_000;
    while (!(Files.exists(status)
        && Files.readString(status).contains("\"name\" : \"web\"")
        && ready(status, 3))) {
      assertTrue(System.currentTimeMillis() < deadline, "not ready:\n" + Files.readString(log));
      Thread.sleep(50);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(0, Main.execute(List.of("status", "--root", root.toString()), ps, ps));
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("web") && table.contains("running") && table.contains("yes"), table);

    long t0 = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "rig-init did not stop");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String text = Files.readString(log);
    assertEquals(0, p.exitValue(), text);
    assertEquals(List.of("web", "db"), Files.readAllLines(order), text);
    assertTrue(text.contains("stubborn: WARNING: still running 500ms after SIGTERM"), text);
    assertTrue(ms < 5000, "stop took " + ms + " ms");
    assertTrue(Files.readString(status).contains("\"state\" : \"stopped\""));
  }

  @Test
  void bareCmdIsTheMainCommandAndAFailedEssentialServiceEndsTheContainer(@TempDir Path dir)
      throws Exception {
    Path none = dir.resolve("none.json");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of(
                "--config",
                none.toString(),
                "--root",
                dir.resolve("r1").toString(),
                "sh",
                "-c",
                "exit 4"),
            Map.of(),
            log);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(4, p.exitValue(), Files.readString(log));

    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"services\":{\"gpu-worker\":{\"argv\":[\"sh\",\"-c\",\"exit 1\"],\"essential\":true,"
                + "\"restart\":{\"policy\":\"never\"}}}}");
    Process q =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", dir.resolve("r2").toString()),
            Map.of(),
            log);
    assertTrue(q.waitFor(20, TimeUnit.SECONDS));
    String text = Files.readString(log);
    assertEquals(1, q.exitValue(), text);
    assertTrue(
        text.contains("essential service 'gpu-worker' failed; stopping the container"), text);
  }

  private static boolean ready(Path status, int n) throws Exception {
    String s = Files.readString(status);
    int count = 0;
    for (int i = s.indexOf("\"ready\" : true"); i >= 0; i = s.indexOf("\"ready\" : true", i + 1)) {
      count++;
    }
    return count >= n;
  }

  @Test
  void servicesAndTheMainProgramDoNotInheritTheSecretsRigInitConsumes(@TempDir Path dir)
      throws Exception {
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"services\":{\"envdump\":{\"argv\":[\"env\"],\"restart\":{\"policy\":\"never\"}}},"
                + "\"startup\":{\"extraStartupScript\":\"env\"}}");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of(
                "run",
                "--config",
                cfg.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--",
                "sh",
                "-c",
                "sleep 1; env"),
            Map.of(
                "ROOT_PASSWORD", "rootpw-value",
                "RIG_AGE_IDENTITY", "AGE-SECRET-KEY-1VALUE",
                "TS_AUTHKEY", "tskey-value",
                "HF_TOKEN", "hf-for-the-service"),
            log);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "rig-init did not exit");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("[envdump] HF_TOKEN=hf-for-the-service"), out);
    assertTrue(out.contains("[startup-script] HF_TOKEN=hf-for-the-service"), out);
    assertTrue(out.lines().anyMatch(l -> l.equals("HF_TOKEN=hf-for-the-service")), out);
    for (String secret : List.of("rootpw-value", "AGE-SECRET-KEY-1VALUE", "tskey-value")) {
      assertTrue(!out.contains(secret), secret + " reached a process:\n" + out);
    }
  }

  @Test
  void sshdComesUpBeforeAHangingStartupScriptAndSigtermEndsItPromptly(@TempDir Path dir)
      throws Exception {
    Path sshd = Tools.require("sshd", "openssh-server");
    Tools.require("ssh-keygen", "openssh-client");
    Files.createDirectories(Path.of("/run/sshd"));
    int port = RigInitProcess.freePort();
    Path childPid = dir.resolve("child.pid");
    Path serviceRan = dir.resolve("service-ran");
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"startup\":{\"sshd\":true,\"sshPort\":"
                + port
                + ",\"sshListenAddress\":\"127.0.0.1\",\"sshdPath\":\""
                + sshd.toAbsolutePath()
                + "\",\"sshHostKeyTypes\":[\"ed25519\"],\"extraStartupScript\":\"sleep 600 & echo $! > "
                + childPid
                + "; wait\"},\"services\":{\"app\":{\"argv\":[\"touch\",\""
                + serviceRan
                + "\"],\"restart\":{\"policy\":\"never\"}}}}");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", dir.resolve("root").toString()),
            Map.of(),
            log);
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!accepts(port) || !Files.exists(childPid)) {
        assertTrue(p.isAlive(), "rig-init died:\n" + Files.readString(log));
        assertTrue(
            System.currentTimeMillis() < deadline,
            "sshd not up while the script runs:\n" + Files.readString(log));
        Thread.sleep(20);
      }
      assertTrue(!Files.exists(serviceRan), "services wait for the startup script");
      long t0 = System.nanoTime();
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGTERM during startup was ignored");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String out = Files.readString(log);
      assertEquals(0, p.exitValue(), out);
      assertTrue(ms < 6_000, "stop took " + ms + " ms:\n" + out);
      assertTrue(out.contains("received during startup"), out);
      long pid = Long.parseLong(Files.readString(childPid).strip());
      assertTrue(gone(pid), "the startup script's child survived:\n" + out);
      assertTrue(!accepts(port), "sshd still running after rig-init stopped");
      assertTrue(!Files.exists(serviceRan), "a service started after the stop:\n" + out);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void mainProgramStartsOnlyOnceSshdAndEveryServiceAreReady(@TempDir Path dir) throws Exception {
    Path sshd = Tools.require("sshd", "openssh-server");
    Tools.require("ssh-keygen", "openssh-client");
    Tools.require("perl", "perl-base");
    Tools.require("bash", "bash");
    Files.createDirectories(Path.of("/run/sshd"));
    int sshPort = RigInitProcess.freePort();
    int dbPort = RigInitProcess.freePort();
    Path webReady = dir.resolve("web-ready");
    // db listens only after a second, web becomes ready half a second after db: the old rig-init
    // had started the main program long before.
    String db =
        "use IO::Socket::INET; sleep 1; my $s=IO::Socket::INET->new(LocalAddr=>'127.0.0.1',"
            + "LocalPort=>"
            + dbPort
            + ",Listen=>5,ReuseAddr=>1) or die; while(1){my $c=$s->accept; close $c if $c}";
    String json =
        "{\"startup\":{\"sshd\":true,\"sshPort\":"
            + sshPort
            + ",\"sshListenAddress\":\"127.0.0.1\",\"sshdPath\":\""
            + sshd.toAbsolutePath()
            + "\",\"sshHostKeyTypes\":[\"ed25519\"]},\"services\":{"
            + "\"web\":{\"argv\":[\"sh\",\"-c\",\"sleep 0.5; touch "
            + webReady
            + "; while :; do sleep 0.1; done\"],\"dependsOn\":[\"db\"],"
            + "\"readiness\":{\"file\":\""
            + webReady
            + "\"}},"
            + "\"db\":{\"argv\":[\"perl\",\"-e\","
            + TextNode.valueOf(db)
            + "],\"readiness\":{\"tcp\":{\"port\":"
            + dbPort
            + "}}}}}";
    Path cfg = Files.writeString(dir.resolve("runtime.json"), json);
    // The main program checks for itself that what it may rely on is there.
    String main =
        "exec 3<>/dev/tcp/127.0.0.1/"
            + sshPort
            + " && exec 4<>/dev/tcp/127.0.0.1/"
            + dbPort
            + " && test -e "
            + webReady
            + " && echo main-found-sshd-db-and-web";
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of(
                "run",
                "--config",
                cfg.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--",
                "bash",
                "-c",
                main),
            Map.of(),
            log);
    try {
      assertTrue(
          p.waitFor(30, TimeUnit.SECONDS), "rig-init did not exit:\n" + Files.readString(log));
      String out = Files.readString(log);
      assertEquals(0, p.exitValue(), out);
      List<String> lines = out.lines().toList();
      List<String> inOrder =
          List.of(
              "rig-init: sshd: ready",
              "rig-init: db: ready",
              "rig-init: web: ready",
              "rig-init: run: all 3 services ready ",
              "rig-init: main: starting [bash, -c, ",
              "main-found-sshd-db-and-web",
              "rig-init: main: exited with code 0; stopping services",
              "rig-init: sshd: stopping with SIGTERM",
              "rig-init: run: all services stopped; exit 0");
      int previous = -1;
      for (String expected : inOrder) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).startsWith(expected)) {
            at.add(i);
          }
        }
        assertEquals(1, at.size(), "'" + expected + "' once:\n" + out);
        assertTrue(at.get(0) > previous, "'" + expected + "' out of order:\n" + out);
        previous = at.get(0);
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aStopWhileServicesAreNotReadyYetNeverStartsTheMainProgram(@TempDir Path dir)
      throws Exception {
    Path mainRan = dir.resolve("main-ran");
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"services\":{\"slow\":{\"argv\":[\"sleep\",\"600\"],"
                + "\"readiness\":{\"file\":\""
                + dir.resolve("never")
                + "\",\"timeout\":\"60s\"}}}}");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of(
                "run",
                "--config",
                cfg.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--",
                "touch",
                mainRan.toString()),
            Map.of(),
            log);
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!Files.readString(log).contains("rig-init: slow: started")) {
        assertTrue(p.isAlive(), "rig-init died:\n" + Files.readString(log));
        assertTrue(System.currentTimeMillis() < deadline, "no start:\n" + Files.readString(log));
        Thread.sleep(20);
      }
      Thread.sleep(300); // the old rig-init started the main program at once
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "rig-init did not stop");
      String out = Files.readString(log);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("rig-init: run: SIGTERM received; stopping services"), out);
      assertTrue(
          out.lines().noneMatch(l -> l.startsWith("rig-init: run:") && l.contains("ready")),
          "nothing is ready:\n" + out);
      assertTrue(!out.contains("rig-init: main:"), out);
      assertTrue(!Files.exists(mainRan), "the main program ran:\n" + out);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void validatePrintsTheStartOrderThatStatusShowsBuiltInServicesIncluded(@TempDir Path dir)
      throws Exception {
    Path sshd = Tools.require("sshd", "openssh-server");
    Tools.require("ssh-keygen", "openssh-client");
    Files.createDirectories(Path.of("/run/sshd"));
    Path root = dir.resolve("root");
    // Stand-ins for the tailscale package: tailscaled makes its socket, tailscale up succeeds.
    Path daemon = root.resolve("usr/sbin/tailscaled");
    Files.createDirectories(daemon.getParent());
    Files.writeString(
        daemon,
        "#!/bin/sh\nfor a; do case $a in --socket=*) touch \"${a#--socket=}\";; esac; done\n"
            + "exec sleep 600\n");
    Path cli = root.resolve("usr/bin/tailscale");
    Files.createDirectories(cli.getParent());
    Files.writeString(cli, "#!/bin/sh\nexit 0\n");
    for (Path tool : List.of(daemon, cli)) {
      tool.toFile().setExecutable(true);
    }
    int sshPort = RigInitProcess.freePort();
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"startup\":{\"sshd\":true,\"sshPort\":"
                + sshPort
                + ",\"sshListenAddress\":\"127.0.0.1\",\"sshdPath\":\""
                + sshd.toAbsolutePath()
                + "\",\"sshHostKeyTypes\":[\"ed25519\"]},\"tailscale\":{\"enable\":true},"
                + "\"services\":{"
                + "\"web\":{\"argv\":[\"sleep\",\"600\"],\"dependsOn\":[\"db\"]},"
                + "\"db\":{\"argv\":[\"sleep\",\"600\"]}}}");
    Map<String, String> env = Map.of("TS_AUTHKEY", "tskey-test");
    Path log = dir.resolve("log");
    Process p =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", root.toString()), env, log);
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!Files.readString(log).contains("services ready")) {
        assertTrue(p.isAlive(), "rig-init died:\n" + Files.readString(log));
        assertTrue(System.currentTimeMillis() < deadline, "not ready:\n" + Files.readString(log));
        Thread.sleep(50);
      }
      ByteArrayOutputStream status = new ByteArrayOutputStream();
      PrintStream ps = new PrintStream(status, true, StandardCharsets.UTF_8);
      assertEquals(0, Main.execute(List.of("status", "--root", root.toString()), ps, ps));
      List<String> listed =
          status
              .toString(StandardCharsets.UTF_8)
              .lines()
              .skip(2) // "rig-init pid N, running" and the column heads
              .map(l -> l.split("\\s+")[0])
              .toList();
      assertEquals(
          List.of("sshd", "tailscaled", "tailscale-up", "db", "web"),
          listed,
          status.toString(StandardCharsets.UTF_8));

      ByteArrayOutputStream validate = new ByteArrayOutputStream();
      PrintStream vs = new PrintStream(validate, true, StandardCharsets.UTF_8);
      int code =
          Main.execute(
              List.of("validate", "--config", cfg.toString(), "--root", root.toString()),
              vs,
              vs,
              env,
              System.nanoTime());
      assertEquals(0, code, validate.toString(StandardCharsets.UTF_8));
      assertEquals(
          cfg + ": ok, start order " + listed, validate.toString(StandardCharsets.UTF_8).strip());
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "rig-init did not stop");
    }
  }

  /** Whether {@code pid} has ended (a zombie waiting for its reaper counts as ended). */
  private static boolean gone(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    for (int i = 0; i < 60; i++) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static boolean accepts(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
