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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layer that makes an image run rig-init: the runtime jar this rig was built with, its
 * launcher, /etc/rig/runtime.json and the encrypted secrets; and the entrypoint that starts it
 * under tini.
 */
public final class RuntimeLayer {
  public static final String JAR = "/usr/lib/rig/rig-init.jar";
  public static final String LAUNCHER = "/usr/lib/rig/rig-init";
  public static final String CONFIG = "/etc/rig/runtime.json";

  /** rig-init's own Java runtime, linked from the image's locked JDK (images with packages). */
  public static final String JAVA_HOME = "/usr/lib/rig/java";

  /** tini reaps zombies as PID 1; rig-init takes the image's CMD (or `docker run` args) as main. */
  public static final List<String> ENTRYPOINT =
      List.of("/usr/bin/tini", "--", LAUNCHER, "run", "--");

  private static final byte[] JAR_BYTES = loadJar();

  /** rig-init's class-data-sharing archive in the linked Java (see LinkedJava). */
  public static final String CDS_ARCHIVE = JAVA_HOME + "/lib/rig-init.jsa";

  private RuntimeLayer() {}

  /** The rig-init jar this rig puts into images. */
  public static byte[] jar() {
    return JAR_BYTES.clone();
  }

  /**
   * The packages the runtime needs besides the spec's own: no Java (rig-init's runtime is linked
   * from the JDK in the build tools), but the libraries that runtime loads beyond libc (libjvm.so
   * needs libstdc++ and libgcc_s, libzip.so needs libz).
   */
  public static List<String> packages(RuntimeSpec runtime) {
    // openssl: rig-init hashes ROOT_PASSWORD with `openssl passwd -6` (the JRE package that
    // brought it in through ca-certificates is no longer installed).
    List<String> packages =
        new ArrayList<>(List.of("tini", "libstdc++6", "libgcc-s1", "zlib1g", "openssl"));
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
    return layer(spec, Optional.empty());
  }

  /**
   * The layer, with {@code linkedJava} (a directory holding bin/java) placed at {@link #JAVA_HOME}
   * and used by the launcher; without it, rig-init runs on the image's {@code java}.
   *
   * @throws IllegalArgumentException as {@link #layer(ImageSpec)}
   */
  public static LayerInput layer(ImageSpec spec, Optional<Path> linkedJava) {
    RuntimeConfig config = RuntimeConfigs.of(spec.runtime());
    List<String> problems = ConfigValidator.problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "image '" + spec.name() + "': runtime: " + String.join("; ", problems));
    }
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.file(JAR, new Content.Bytes(JAR_BYTES), 0644, 0, 0));
    String java =
        linkedJava.isPresent()
            ? JAVA_HOME + "/bin/java -XX:SharedArchiveFile=" + CDS_ARCHIVE
            : "java";
    if (linkedJava.isPresent()) {
      entries.addAll(JavaTree.entries(linkedJava.get(), JAVA_HOME));
    }
    entries.add(
        LayerEntry.file(
            LAUNCHER,
            new Content.Bytes(launcher(java).getBytes(StandardCharsets.UTF_8)),
            0755,
            0,
            0));
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
    return new LayerInput(
        entries,
        "rig-init runtime (rig-init"
            + (linkedJava.isPresent() ? " and its Java" : "")
            + ", /etc/rig/runtime.json)");
  }

  /**
   * Starts rig-init on {@code java} (with its options). A small long-running supervisor wants a
   * fast start and little memory: the interpreter only (measured in a container beside sshd: 3 MB
   * less RSS than C1 with one compiler thread, and doctor no slower, as its work runs once and no
   * compiler thread competes for the CPU; the cost is CPU per line of service output relayed), the
   * serial collector, a small heap, code cache and stacks, and no perf-data file (a mapped 32 KiB
   * per JVM, also for each `rig-init status`).
   */
  static String launcher(String java) {
    return "#!/bin/sh\n"
        + "# Starts rig-init, the runtime rig puts in every image; see /etc/rig/runtime.json.\n"
        + "exec "
        + java
        + " "
        + String.join(" ", JVM_OPTIONS)
        + " -cp "
        + JAR
        + " dev.rig.init.Main \"$@\"\n";
  }

  static final List<String> JVM_OPTIONS =
      List.of(
          "-Xint",
          "-XX:+UseSerialGC",
          "-Xss256k",
          "-Xms4m",
          "-Xmx64m",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:-UsePerfData",
          // Reflection (runtime.json's records) through the VM's native accessors: since JDK 18
          // each reflective call shape otherwise spins method-handle classes at start.
          "-Djdk.reflect.useNativeAccessorOnly=true",
          "-Xshare:auto");

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
