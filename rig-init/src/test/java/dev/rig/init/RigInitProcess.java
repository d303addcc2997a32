package dev.rig.init;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts rig-init as a real process, with the same classes and jagged jars as this test (and no
 * Jackson, which the image's jar does not carry).
 */
final class RigInitProcess {
  private RigInitProcess() {}

  static String classpath() {
    List<String> parts = new ArrayList<>();
    for (Class<?> c :
        List.of(
            Main.class,
            com.exceptionfactory.jagged.FileKey.class,
            com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory.class,
            com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory.class,
            com.exceptionfactory.jagged.bech32.Bech32.class)) {
      try {
        parts.add(
            Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(File.pathSeparator, parts);
  }

  static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-XX:TieredStopAtLevel=1");
    argv.add("-Xshare:auto");
    argv.add("-cp");
    argv.add(classpath());
    argv.add("dev.rig.init.Main");
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
