package dev.rig.init.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.ReadinessProbe;
import dev.rig.init.config.RestartPolicy;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.config.TcpCheck;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real child processes. */
class SupervisorTest {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private Supervisor supervisor(Map<String, ServiceSpec> services, Path dir) {
    return new Supervisor(
        services,
        dir.resolve("config"),
        new OutputSink(new ByteArrayOutputStream()),
        events::add,
        new StatusFile(dir.resolve("status.json")));
  }

  @Test
  void failingServiceIsRestartedWithBackoffThenReportedFailed(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("runs");
    ServiceSpec flaky =
        ServiceSpec.of(List.of("sh", "-c", "echo run >> " + runs + "; exit 1"))
            .withRestart(
                new RestartSpec(
                    RestartPolicy.ON_FAILURE,
                    3,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    null));
    Supervisor s = supervisor(Map.of("flaky", flaky), dir);
    long t0 = System.nanoTime();
    s.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!s.statuses().get(0).state().equals("failed")) {
      assertTrue(System.currentTimeMillis() < deadline, "never failed: " + events);
      Thread.sleep(20);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    ServiceStatus st = s.statuses().get(0);
    assertEquals(3, st.restarts());
    assertEquals(1, st.lastExit());
    assertEquals(4, Files.readAllLines(runs).size(), "one run plus three restarts");
    assertTrue(ms >= 100 + 200 + 400, "backoff 100+200+400 ms not respected: " + ms);
    List<String> texts = events.stream().map(Event::text).toList();
    assertTrue(texts.contains("exited with code 1; restart 1/3 in 100ms"), texts.toString());
    assertTrue(texts.contains("exited with code 1; restart 3/3 in 400ms"), texts.toString());
    assertTrue(
        texts.contains("failed: exited with code 1; gave up after 3 restarts"), texts.toString());
    assertTrue(Files.readString(dir.resolve("status.json")).contains("\"state\" : \"failed\""));
    s.stopAll();
  }

  @Test
  void dependentStartsOnlyAfterTheTcpProbePasses(@TempDir Path dir) throws Exception {
    Tools.require("perl", "perl-base");
    Tools.require("bash", "bash");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // The server listens only after 700 ms; the client checks the port itself when it starts.
    ServiceSpec server =
        ServiceSpec.of(
                List.of(
                    "perl",
                    "-MIO::Socket::INET",
                    "-e",
                    "select(undef,undef,undef,0.7); my $s=IO::Socket::INET->new(LocalAddr=>"
                        + "'127.0.0.1',LocalPort=>"
                        + port
                        + ",Listen=>5,ReuseAddr=>1) or die $!; while(1){my $c=$s->accept}"))
            .withReadiness(
                new ReadinessProbe(
                    new TcpCheck(null, port),
                    null,
                    null,
                    null,
                    Duration.ofMillis(50),
                    Duration.ofSeconds(10),
                    null));
    Path result = dir.resolve("client");
    ServiceSpec client =
        ServiceSpec.of(
                List.of(
                    "bash",
                    "-c",
                    "if echo > /dev/tcp/127.0.0.1/"
                        + port
                        + "; then echo reachable > "
                        + result
                        + "; else echo refused > "
                        + result
                        + "; fi; sleep 30"))
            .withDependsOn(List.of("server"));
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    services.put("client", client);
    services.put("server", server);
    Supervisor s = supervisor(services, dir);
    s.start();
    assertTrue(s.awaitReady("server"));
    long deadline = System.currentTimeMillis() + 10_000;
    while (!Files.exists(result) || Files.readString(result).isBlank()) {
      assertTrue(System.currentTimeMillis() < deadline, "client never ran: " + events);
      Thread.sleep(20);
    }
    assertEquals("reachable", Files.readString(result).strip());
    long t0 = System.nanoTime();
    s.stopAll();
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
    assertTrue(
        s.statuses().stream().allMatch(x -> x.state().equals("stopped")), s.statuses().toString());
  }

  @Test
  void failedDependencyKeepsDependentsFromStarting(@TempDir Path dir) throws Exception {
    ServiceSpec broken =
        ServiceSpec.of(List.of("sh", "-c", "exit 2"))
            .withRestart(new RestartSpec(RestartPolicy.NEVER, null, null, null, null))
            .withReadiness(
                new ReadinessProbe(
                    null, null, null, dir.resolve("never").toString(), null, null, null));
    ServiceSpec app = ServiceSpec.of(List.of("sleep", "30")).withDependsOn(List.of("db"));
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    services.put("db", broken);
    services.put("app", app);
    Supervisor s = supervisor(services, dir);
    s.start();
    assertTrue(!s.awaitReady("app"));
    ServiceStatus st = s.statuses().get(1);
    assertEquals("failed", st.state());
    assertTrue(st.message().contains("dependency 'db' is not ready"), st.message());
    s.stopAll();
  }
}
