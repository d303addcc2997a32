package dev.rig.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rig cds-training DIR} (hidden): the run the launcher records its class-data archive from.
 * It does what a user's commands do, so that their classes load from the archive: a push of a
 * {@code rig.pkl} project (Pkl, the spec cache, the build from the layer cache, the HTTP client and
 * TLS set-up, the registry calls) twice, the second time from the spec cache, and a build of a YAML
 * spec, then the same build again as the launcher's probe (served by the build memo). The registry
 * is a stand-in in this JVM on 127.0.0.1 that claims every blob, so nothing leaves the machine and
 * no time is spent waiting.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "An empty scratch directory.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.writeString(files.resolve("f"), "train\n");
    Files.writeString(dir.resolve("version.pkl"), "tag = \"train\"\n");
    Path pkl =
        Files.writeString(
            dir.resolve("rig.pkl"),
            "amends \"modulepath:/rig/Project.pkl\"\n"
                + "import \"version.pkl\"\n"
                + "images { [\"train\"] { tag = version.tag\n"
                + "  copyToRoot { new { source = \"files\"; target = \"/files\" } } } }\n");
    Path yaml =
        Files.writeString(
            Files.createDirectories(dir.resolve("yaml")).resolve("rig.yaml"),
            "images:\n  train:\n    copyToRoot:\n      - { source: ../files/f, target: /f }\n");
    String cache = dir.resolve("cache").toString();
    HttpServer registry =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", CdsTrainingCommand::answer);
    registry.start();
    try {
      String to = "127.0.0.1:" + registry.getAddress().getPort() + "/train/image:train";
      for (int round = 0; round < 2; round++) {
        check(Main.run("push", "-q", "-f", pkl.toString(), "--cache", cache, "--to", to, "--json"));
      }
      check(
          Main.run(
              "build",
              "-q",
              "-f",
              yaml.toString(),
              "--cache",
              cache,
              "--out",
              "oci:" + dir.resolve("out")));
      // Again, as the launcher's probe: served by the build memo (a warm rebuild's classes).
      int probe =
          Main.run(
              "build",
              "--up-to-date-probe",
              "-f",
              yaml.toString(),
              "--cache",
              cache,
              "--out",
              "oci:" + dir.resolve("out"));
      check(probe == BuildCommand.PROBE_MISSED ? 0 : probe);
    } finally {
      registry.stop(0);
    }
    return 0;
  }

  private static void check(int code) {
    if (code != 0) {
      throw new IllegalStateException("a training command failed with exit code " + code);
    }
  }

  /** A registry that has every blob and takes any manifest. */
  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    exchange.getRequestBody().readAllBytes();
    int status;
    if (path.equals("/v2/")) {
      status = 200;
    } else if (path.contains("/blobs/") && method.equals("HEAD")) {
      status = 200;
    } else if (path.contains("/manifests/") && method.equals("PUT")) {
      status = 201;
    } else {
      status = 404;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }
}
