package dev.rig.init.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  static final String EXAMPLE =
      """
      {"services": {
        "db": {"argv": ["sh","-c","sleep 100"], "readiness": {"file": "/tmp/db.ready", "interval": "100ms"},
               "restart": {"policy": "always", "initialDelay": "500ms", "maxDelay": "4s"}},
        "web": {"argv": ["sh","-c","sleep 100"], "dependsOn": ["db"], "stopSignal": "SIGINT",
                "stopTimeout": 3000, "configData": {"app/conf.toml": "x=1"}}
      },
      "startup": {"sshd": true}}
      """;

  @Test
  void parsesWithDefaults() throws Exception {
    RuntimeConfig c = ConfigLoader.parse(EXAMPLE, "runtime.json");
    ServiceSpec web = c.services().get("web");
    assertEquals("INT", web.stopSignal());
    assertEquals(Duration.ofSeconds(3), web.stopTimeout());
    assertEquals(RestartPolicy.ON_FAILURE, web.restart().policy());
    assertEquals(5, web.restart().maxRestarts());
    assertTrue(web.log().prefix());
    assertEquals(Duration.ofMillis(100), c.services().get("db").readiness().interval());
    assertEquals(List.of("db", "web"), DependencyOrder.startOrder(c.services()));
    assertEquals(List.of("web", "db"), DependencyOrder.stopOrder(c.services()));
    assertEquals(c, ConfigLoader.parse(ConfigLoader.write(c), "again"));
  }

  @Test
  void secretsLogFilesAndTailscaleParseWithDefaults() throws Exception {
    RuntimeConfig c =
        ConfigLoader.parse(
            """
            {"services": {"a": {"argv": ["x"], "log": {"file": true, "maxBytes": 4096}}},
             "secrets": [{"name": "tskey", "source": "/etc/rig/secrets/tskey.age"}],
             "tailscale": {"enable": true, "authKeySecret": "tskey", "hostname": "box"}}
            """,
            "runtime.json");
    assertEquals(
        List.of(new SecretSpec("tskey", "/etc/rig/secrets/tskey.age", "0400", "root")),
        c.secrets());
    assertEquals(RuntimeConfig.DEFAULT_IDENTITIES, c.secretIdentities());
    assertEquals(new LogOptions(true, true, 4096L, 3), c.services().get("a").log());
    assertEquals(new TailscaleSettings(true, "tskey", "box", List.of()), c.tailscale());
    assertEquals(c, ConfigLoader.parse(ConfigLoader.write(c), "again"));
    assertEquals(TailscaleSettings.DEFAULT, RuntimeConfig.EMPTY.tailscale());
  }

  @Test
  void badSecretsAreReported() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    """
                    {"secrets": [{"name": "a", "source": "rel.age", "mode": "0999"},
                                 {"name": "a", "source": "/a.age"}],
                     "tailscale": {"enable": true, "authKeySecret": "nope"}}
                    """,
                    "f"));
    String m = e.getMessage();
    assertTrue(m.contains("secrets[0].source: an absolute path"), m);
    assertTrue(m.contains("secrets[0].mode: octal permission bits"), m);
    assertTrue(m.contains("secrets[1].name: 'a' is declared twice"), m);
    assertTrue(m.contains("tailscale.authKeySecret: no secret named 'nope'"), m);
  }

  @Test
  void reportsUnknownFieldWithPlace() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    "{\"services\": {\"a\": {\"argv\": [\"x\"], \"dependOn\": []}}}", "f"));
    assertTrue(e.getMessage().contains("unknown field 'dependOn'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void reportsWrongTypesWithPathAndPlace() {
    String json =
        "{\"services\": {\"a\": {\"argv\": [\"x\"],\n"
            + " \"restart\": {\"maxRestarts\": \"five\"}}}}";
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "f"));
    assertTrue(
        e.getMessage()
            .contains(
                "line 2, column 29: services.a.restart.maxRestarts: expected a whole number, got"
                    + " a string"),
        e.getMessage());
    ConfigException policy =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    "{\"services\": {\"a\": {\"argv\": [\"x\"], \"restart\": {\"policy\":"
                        + " \"sometimes\"}}}}",
                    "f"));
    assertTrue(
        policy.getMessage().contains("services.a.restart.policy: unknown restart policy"),
        policy.getMessage());
  }

  @Test
  void reportsUnknownDependencyCycleAndEmptyArgv() {
    ServiceSpec a = ServiceSpec.of(List.of("x")).withDependsOn(List.of("b"));
    ServiceSpec b = ServiceSpec.of(List.of("x")).withDependsOn(List.of("a"));
    ServiceSpec c = ServiceSpec.of(List.of()).withDependsOn(List.of("nope"));
    List<String> p =
        ConfigValidator.problems(new RuntimeConfig(Map.of("a", a, "b", b, "c", c), null));
    String all = String.join("\n", p);
    assertTrue(all.contains("services.c.argv: is empty"), all);
    assertTrue(all.contains("unknown service 'nope'"), all);
    assertTrue(all.contains("dependency cycle"), all);
  }

  @Test
  void rejectsBadProbeAndEscapingConfigPath() {
    String json =
        "{\"services\": {\"a\": {\"argv\": [\"x\"], \"readiness\": {\"file\": \"/f\", \"tcp\":"
            + " {\"port\": 1}}, \"configData\": {\"../x\": \"\"}}}}";
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "f"));
    assertTrue(e.getMessage().contains("exactly one of"), e.getMessage());
    assertTrue(e.getMessage().contains("relative path"), e.getMessage());
  }

  @Test
  void backoffDoublesUpToMax() {
    RestartSpec r =
        new RestartSpec(
            RestartPolicy.ON_FAILURE, 3, Duration.ofMillis(100), Duration.ofMillis(350), null);
    assertEquals(Duration.ofMillis(100), r.delayBefore(1));
    assertEquals(Duration.ofMillis(200), r.delayBefore(2));
    assertEquals(Duration.ofMillis(350), r.delayBefore(3));
    assertTrue(r.allows(2));
    assertTrue(!r.allows(3));
    assertTrue(RestartPolicy.ON_FAILURE.restartsAfter(1));
    assertTrue(!RestartPolicy.ON_FAILURE.restartsAfter(0));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("2 days"));
  }
}
