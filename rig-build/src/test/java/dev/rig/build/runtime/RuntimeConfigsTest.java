package dev.rig.build.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.ConfigLoader;
import dev.rig.init.config.RestartPolicy;
import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.config.ServiceSpec;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every runtime option of the spec reaches rig-init's runtime.json, and survives rig-init's own
 * reader; services that do not hang together stop the build with a message naming the image.
 */
class RuntimeConfigsTest {
  @TempDir Path dir;

  private ImageSpec load(String runtime) throws Exception {
    Files.writeString(dir.resolve("token.age"), "not read here");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(spec, "images:\n  x:\n    packages: [python3]\n    runtime:\n" + runtime);
    Project project = SpecLoader.load(spec);
    return project.images().get("x");
  }

  @Test
  void everyOptionReachesRuntimeJson() throws Exception {
    ImageSpec spec =
        load(
            String.join(
                "\n",
                "      javaPackage: openjdk-21-jre-headless",
                "      sshd: { port: 2200, listenAddress: 127.0.0.1 }",
                "      extraStartupScript: echo hello",
                "      extraStartupScriptTimeout: 90",
                "      shmMinimumMib: 512",
                "      secretIdentities: [/etc/rig/id.key]",
                "      secrets:",
                "        token: { file: token.age, mode: \"0440\", owner: app }",
                "      tailscale: { enable: true, authKeySecret: token, hostname: gpu1,"
                    + " extraArgs: [--ssh] }",
                "      services:",
                "        db: { command: [db, --serve], readiness: { tcpPort: 5432, timeout: 5 } }",
                "        web:",
                "          command: [web]",
                "          env: { MODE: prod }",
                "          workingDir: /srv",
                "          restart: always",
                "          maxRestarts: 9",
                "          restartDelay: 0.5",
                "          stopSignal: INT",
                "          stopTimeout: 3",
                "          dependsOn: [db]",
                "          configData: { app.toml: \"x = 1\" }",
                "          logFile: true",
                "          essential: true",
                ""));
    assertEquals(
        List.of("tini", "libstdc++6", "libgcc-s1", "zlib1g", "openssl", "openssh-server"),
        RuntimeLayer.packages(spec.runtime()));
    // Written and read back the way the image will: through rig-init's own loader.
    RuntimeConfig config =
        ConfigLoader.parse(ConfigLoader.write(RuntimeConfigs.of(spec.runtime())), "test");
    assertEquals(2200, config.startup().sshPort());
    assertEquals("127.0.0.1", config.startup().sshListenAddress());
    assertEquals("echo hello", config.startup().extraStartupScript());
    assertEquals(Duration.ofSeconds(90), config.startup().extraStartupScriptTimeout());
    assertEquals(512L << 20, config.startup().shmMinBytes());
    assertEquals(List.of("/etc/rig/id.key"), config.secretIdentities());
    assertEquals("token", config.secrets().get(0).name());
    assertEquals(RuntimeConfigs.secretPath("token"), config.secrets().get(0).source());
    assertEquals("0440", config.secrets().get(0).mode());
    assertEquals("app", config.secrets().get(0).owner());
    assertTrue(config.tailscale().enable());
    assertEquals("token", config.tailscale().authKeySecret());
    assertEquals("gpu1", config.tailscale().hostname());
    assertEquals(List.of("--ssh"), config.tailscale().extraArgs());
    ServiceSpec db = config.services().get("db");
    assertEquals(5432, db.readiness().tcp().port());
    assertEquals(Duration.ofSeconds(5), db.readiness().timeout());
    ServiceSpec web = config.services().get("web");
    assertEquals(List.of("web"), web.argv());
    assertEquals("prod", web.env().get("MODE"));
    assertEquals("/srv", web.workingDir());
    assertEquals(RestartPolicy.ALWAYS, web.restart().policy());
    assertEquals(9, web.restart().maxRestarts());
    assertEquals(Duration.ofMillis(500), web.restart().initialDelay());
    assertEquals("INT", web.stopSignal());
    assertEquals(Duration.ofSeconds(3), web.stopTimeout());
    assertEquals(List.of("db"), web.dependsOn());
    assertEquals("x = 1", web.configData().get("app.toml"));
    assertTrue(web.log().file());
    assertTrue(web.essential());
  }

  @Test
  void anUnknownDependencyStopsTheBuildNamingTheImage() throws Exception {
    ImageSpec spec =
        load("      services:\n        web: { command: [web], dependsOn: [nowhere] }\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RuntimeLayer.layer(spec));
    assertTrue(e.getMessage().startsWith("image 'x': runtime: "), e.getMessage());
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  @Test
  void theStartupScriptTimeoutDefaultsToTenMinutes() throws Exception {
    RuntimeConfig config =
        ConfigLoader.parse(
            ConfigLoader.write(RuntimeConfigs.of(dev.rig.spec.RuntimeSpec.DEFAULT)), "test");
    assertEquals(Duration.ofMinutes(10), config.startup().extraStartupScriptTimeout());
  }
}
