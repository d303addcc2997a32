package dev.rig.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-NAME get}, the protocol Docker's credential helpers speak: the
 * server name on stdin, {@code {"Username":..,"Secret":..}} on stdout.
 *
 * @param searchPath directories to find the helper in (normally $PATH)
 */
public record CredentialHelper(List<Path> searchPath) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CredentialHelper {
    searchPath = List.copyOf(searchPath);
  }

  public static CredentialHelper onPath(String path) {
    return new CredentialHelper(
        path == null || path.isEmpty()
            ? List.of()
            : java.util.Arrays.stream(path.split(File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList());
  }

  /**
   * Asks helper {@code name} for {@code registry}'s credential; empty when it has none.
   *
   * @throws IOException when the helper is missing or fails other than "not found"
   */
  public Optional<Credential> get(String name, String registry, String source) throws IOException {
    String program = "docker-credential-" + name;
    Path executable =
        searchPath.stream()
            .map(dir -> dir.resolve(program))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new IOException(
                        source
                            + " names credential helper '"
                            + name
                            + "' but "
                            + program
                            + " is not on PATH; install it or remove it from "
                            + source));
    Process process = new ProcessBuilder(executable.toString(), "get").start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(RegistryKeys.helperServer(registry).getBytes(StandardCharsets.UTF_8));
    }
    byte[] out;
    byte[] err;
    try {
      out = process.getInputStream().readAllBytes();
      err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(program + " get did not answer within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new java.io.InterruptedIOException("interrupted while running " + program);
    }
    String stdout = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      // The protocol's "no credential for this server" answer; anything else is a real failure.
      if (stdout.contains("credentials not found in native keychain")) {
        return Optional.empty();
      }
      // The helper's stderr is shown, its stdout not: stdout might carry a secret.
      throw new IOException(
          program
              + " get failed for "
              + registry
              + " (exit "
              + process.exitValue()
              + "): "
              + new String(err, StandardCharsets.UTF_8).strip());
    }
    JsonNode node = JSON.readTree(out);
    String user = node.path("Username").asText("");
    String secret = node.path("Secret").asText("");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credential(user, secret, source + " via " + program));
  }
}
