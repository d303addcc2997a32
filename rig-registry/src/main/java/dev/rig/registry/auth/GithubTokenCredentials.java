package dev.rig.registry.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * For ghcr.io only: GITHUB_TOKEN (as GitHub Actions sets it), else the token of the GitHub CLI
 * ({@code gh auth token}) when gh is installed and logged in. GHCR takes any user name with a
 * token; GITHUB_ACTOR is used when set.
 */
public record GithubTokenCredentials(Map<String, String> env, List<Path> searchPath)
    implements CredentialSource {
  public static final String REGISTRY = "ghcr.io";

  public GithubTokenCredentials {
    env = Map.copyOf(env);
    searchPath = List.copyOf(searchPath);
  }

  @Override
  public Optional<Credential> find(String registry) throws IOException {
    if (!REGISTRY.equals(registry)) {
      return Optional.empty();
    }
    String user = env.getOrDefault("GITHUB_ACTOR", "token");
    String token = env.get("GITHUB_TOKEN");
    if (token != null && !token.isBlank()) {
      return Optional.of(new Credential(user, token.trim(), "environment GITHUB_TOKEN"));
    }
    Optional<Path> gh =
        searchPath.stream().map(dir -> dir.resolve("gh")).filter(Files::isExecutable).findFirst();
    if (gh.isEmpty()) {
      return Optional.empty();
    }
    return ghToken(gh.get()).map(t -> new Credential(user, t, "gh auth token"));
  }

  private static Optional<String> ghToken(Path gh) throws IOException {
    Process process =
        new ProcessBuilder(gh.toString(), "auth", "token")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().close();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.empty();
    }
    return process.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
  }

  @Override
  public String describe() {
    return "GITHUB_TOKEN or `gh auth token` (ghcr.io)";
  }

  /** Never prints the environment, which holds the token. */
  @Override
  public String toString() {
    return "GithubTokenCredentials";
  }
}
