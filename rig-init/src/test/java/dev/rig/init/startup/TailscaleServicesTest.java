package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.StartupSettings;
import dev.rig.init.config.TailscaleSettings;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import dev.rig.init.supervise.ServiceState;
import dev.rig.init.supervise.StatusFile;
import dev.rig.init.supervise.Supervisor;
import dev.rig.testkit.Exec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tailscaled and `tailscale up` as fake shell scripts in a temporary root, run by the supervisor.
 */
class TailscaleServicesTest {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private static StepContext ctx(Path root, Map<String, String> env) {
    return new StepContext(
        root, env, StartupSettings.DEFAULT, new OutputSink(new ByteArrayOutputStream()));
  }

  /** A tailscaled that creates its socket after a moment and runs on; a CLI that logs its args. */
  private static void fakeTailscale(Path root) throws Exception {
    script(
        root.resolve("usr/sbin/tailscaled"),
        "for a; do case $a in --socket=*) s=${a#--socket=};; esac; done\n"
            + "echo \"daemon $*\" >> "
            + root.resolve("calls")
            + "\nsleep 0.3; touch \"$s\"; exec sleep 30\n");
    script(
        root.resolve("usr/bin/tailscale"),
        "test -e "
            + root.resolve("run/tailscale/tailscaled.sock")
            + " || exit 9\n"
            + "echo \"cli $*\" >> "
            + root.resolve("calls")
            + "\n");
  }

  private static void script(Path p, String body) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void namesForValidateAreTheServicesPlanAdds(@TempDir Path root) throws Exception {
    TailscaleSettings off = new TailscaleSettings(false, null, null, null);
    TailscaleSettings on = new TailscaleSettings(true, null, null, null);
    TailscaleSettings withSecret = new TailscaleSettings(true, "tskey", null, null);
    Map<String, String> none = Map.of();
    Map<String, String> key = Map.of("TS_AUTHKEY", "tskey-test");
    // Not installed yet: enabled or not, nothing is added.
    for (TailscaleSettings ts : List.of(off, on, withSecret)) {
      assertEquals(List.of(), TailscaleServices.names(ctx(root, key), ts));
      assertEquals(Map.of(), TailscaleServices.plan(ctx(root, key), ts, events::add));
    }
    fakeTailscale(root);
    for (TailscaleSettings ts : List.of(off, on, withSecret)) {
      for (Map<String, String> env : List.of(none, key)) {
        assertEquals(
            List.copyOf(TailscaleServices.plan(ctx(root, env), ts, events::add).keySet()),
            TailscaleServices.names(ctx(root, env), ts),
            ts + " " + env.keySet());
      }
    }
    assertEquals(List.of("tailscaled"), TailscaleServices.names(ctx(root, none), on));
    assertEquals(
        List.of("tailscaled", "tailscale-up"), TailscaleServices.names(ctx(root, key), on));
  }

  @Test
  void upRunsAfterTheSocketExistsWithTheKeyFromASecretFile(@TempDir Path root) throws Exception {
    fakeTailscale(root);
    TailscaleSettings ts = new TailscaleSettings(true, "tskey", "box", List.of("--ssh"));
    var services = TailscaleServices.plan(ctx(root, Map.of()), ts, events::add);
    assertEquals(List.of("tailscaled", "tailscale-up"), List.copyOf(services.keySet()));
    Supervisor s =
        new Supervisor(
            services,
            root.resolve("config"),
            new OutputSink(new ByteArrayOutputStream()),
            events::add,
            new StatusFile(root.resolve("status.json")));
    s.start();
    try {
      long deadline = System.currentTimeMillis() + 10_000;
      while (!s.status("tailscale-up").state().equals(ServiceState.STOPPED.text())
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals("exited with code 0", lastExitMessage(s), events.toString());
    } finally {
      s.stopAll();
    }
    Path sock = root.resolve("run/tailscale/tailscaled.sock");
    assertEquals(
        List.of(
            "daemon --tun=userspace-networking --state="
                + root.resolve("var/lib/tailscale/tailscaled.state")
                + " --socket="
                + sock,
            "cli --socket="
                + sock
                + " up --authkey=file:"
                + root.resolve("run/secrets/tskey")
                + " --hostname=box --ssh"),
        Files.readAllLines(root.resolve("calls")));
  }

  private static String lastExitMessage(Supervisor s) {
    var st = s.status("tailscale-up");
    return st.lastExit() == null
        ? String.valueOf(st.message())
        : "exited with code " + st.lastExit();
  }

  @Test
  void tsAuthKeyGoesToAPrivateFileNotTheCommandLine(@TempDir Path root) throws Exception {
    fakeTailscale(root);
    var services =
        TailscaleServices.plan(
            ctx(root, Map.of("TS_AUTHKEY", "tskey-auth-123")),
            new TailscaleSettings(true, null, null, null),
            events::add);
    Path key = root.resolve("run/secrets/tailscale-authkey");
    assertEquals(
        List.of(
            root.resolve("usr/bin/tailscale").toString(),
            "--socket=" + root.resolve("run/tailscale/tailscaled.sock"),
            "up",
            "--authkey=file:" + key),
        services.get("tailscale-up").argv());
    assertEquals("tskey-auth-123\n", Files.readString(key));
    assertEquals(
        "400", Exec.run(List.of("stat", "-c", "%a", key.toString())).ok().stdout().strip());
  }

  @Test
  void withoutAKeyOnlyTheDaemonRunsAndTheLoginIsExplained(@TempDir Path root) throws Exception {
    fakeTailscale(root);
    var services =
        TailscaleServices.plan(
            ctx(root, Map.of()), new TailscaleSettings(true, null, null, null), events::add);
    assertEquals(List.of("tailscaled"), List.copyOf(services.keySet()));
    assertEquals(1, events.size());
    assertTrue(events.get(0).text().contains("run `tailscale up` in a shell"), events.toString());
  }

  @Test
  void missingDaemonOrDisabledAddsNothing(@TempDir Path root) throws Exception {
    assertTrue(
        TailscaleServices.plan(ctx(root, Map.of()), TailscaleSettings.DEFAULT, events::add)
            .isEmpty());
    assertTrue(events.isEmpty());
    assertTrue(
        TailscaleServices.plan(
                ctx(root, Map.of()), new TailscaleSettings(true, null, null, null), events::add)
            .isEmpty());
    assertEquals(Event.Level.WARN, events.get(0).level());
    assertTrue(events.get(0).text().contains("add the tailscale package"), events.toString());
  }
}
