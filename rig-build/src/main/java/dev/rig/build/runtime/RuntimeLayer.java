package dev.rig.build.runtime;

import dev.rig.init.config.ConfigLoader;
import dev.rig.init.config.ConfigValidator;
import dev.rig.init.config.RuntimeConfig;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.RuntimeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer that makes an image run rig-init: the runtime jar this rig was built with, its
 * launcher, /etc/rig/runtime.json and the encrypted secrets; and the entrypoint that starts it
 * under tini.
 */
public final class RuntimeLayer {
  public static final String JAR = "/usr/lib/rig/rig-init.jar";
  public static final String LAUNCHER = "/usr/lib/rig/rig-init";
  public static final String CONFIG = "/etc/rig/runtime.json";

  /** tini reaps zombies as PID 1; rig-init takes the image's CMD (or `docker run` args) as main. */
  public static final List<String> ENTRYPOINT =
      List.of("/usr/bin/tini", "--", LAUNCHER, "run", "--");

  private static final byte[] JAR_BYTES = loadJar();

  private RuntimeLayer() {}

  /** The packages the runtime needs besides the spec's own. */
  public static List<String> packages(RuntimeSpec runtime) {
    List<String> packages = new ArrayList<>(List.of("tini", runtime.javaPackage()));
    if (runtime.sshd().enable()) {
      packages.add("openssh-server");
    }
    return packages;
  }

  /**
   * @throws IllegalArgumentException when the services do not hang together (an unknown dependency,
   *     a cycle, a secret named by tailscale that does not exist)
   */
  public static LayerInput layer(ImageSpec spec) {
    RuntimeConfig config = RuntimeConfigs.of(spec.runtime());
    List<String> problems = ConfigValidator.problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "image '" + spec.name() + "': runtime: " + String.join("; ", problems));
    }
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.file(JAR, new Content.Bytes(JAR_BYTES), 0644, 0, 0));
    entries.add(
        LayerEntry.file(
            LAUNCHER, new Content.Bytes(launcher().getBytes(StandardCharsets.UTF_8)), 0755, 0, 0));
    entries.add(
        LayerEntry.file(
            CONFIG,
            new Content.Bytes(ConfigLoader.write(config).getBytes(StandardCharsets.UTF_8)),
            0644,
            0,
            0));
    spec.runtime()
        .secrets()
        .forEach(
            (name, secret) ->
                entries.add(
                    LayerEntry.file(
                        RuntimeConfigs.secretPath(name),
                        Content.ofFile(secret.file()),
                        0600,
                        0,
                        0)));
    return new LayerInput(entries, "rig-init runtime (tini, rig-init, /etc/rig/runtime.json)");
  }

  /**
   * Starts rig-init on the image's Java: C1 only and the serial collector, which start fastest for
   * a small long-running supervisor.
   */
  private static String launcher() {
    return "#!/bin/sh\n"
        + "# Starts rig-init, the runtime rig puts in every image; see /etc/rig/runtime.json.\n"
        + "exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -XX:MaxRAM=256m"
        + " -cp "
        + JAR
        + " dev.rig.init.Main \"$@\"\n";
  }

  private static byte[] loadJar() {
    try (InputStream in = RuntimeLayer.class.getResourceAsStream("/rig/runtime/rig-init.jar")) {
      if (in == null) {
        throw new IllegalStateException(
            "rig-init.jar is missing from rig's resources; rebuild rig (./mvnw install)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
