package dev.rig.registry.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sources asked in order; the first that has a credential for the registry wins. */
public record CredentialChain(List<CredentialSource> sources) {
  public CredentialChain {
    sources = List.copyOf(sources);
  }

  /** No credentials: anonymous access only. */
  public static CredentialChain anonymous() {
    return new CredentialChain(List.of());
  }

  /**
   * The usual order: explicit user and password (when given) and RIG_REGISTRY_USER/PASSWORD, both
   * for the registries in {@code pushTargets} only (a base image's registry gets only its own
   * logins), then Docker's config.json ($DOCKER_CONFIG or ~/.docker), then podman's auth.json
   * ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers, ~/.config/containers), and for ghcr.io
   * GITHUB_TOKEN or the GitHub CLI's token.
   */
  public static CredentialChain standard(
      Optional<UserPassword> explicit,
      Set<String> pushTargets,
      Map<String, String> env,
      Path home) {
    CredentialHelper helper = CredentialHelper.onPath(env.get("PATH"));
    List<CredentialSource> sources = new ArrayList<>();
    explicit.ifPresent(
        c -> sources.add(new ExplicitCredentials(c.username(), c.password(), pushTargets)));
    sources.add(new EnvironmentCredentials(env, pushTargets));
    String dockerConfig = env.get("DOCKER_CONFIG");
    Path dockerDir =
        dockerConfig != null && !dockerConfig.isEmpty()
            ? Path.of(dockerConfig)
            : home.resolve(".docker");
    sources.add(new AuthFileCredentials(dockerDir.resolve("config.json"), helper));
    String authFile = env.get("REGISTRY_AUTH_FILE");
    if (authFile != null && !authFile.isEmpty()) {
      sources.add(new AuthFileCredentials(Path.of(authFile), helper));
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isEmpty()) {
      sources.add(new AuthFileCredentials(Path.of(runtime, "containers", "auth.json"), helper));
    }
    sources.add(new AuthFileCredentials(home.resolve(".config/containers/auth.json"), helper));
    sources.add(new GithubTokenCredentials(env, helper.searchPath()));
    return new CredentialChain(sources);
  }

  /** {@link #standard} from this process's environment and home directory. */
  public static CredentialChain fromEnvironment(
      Optional<UserPassword> explicit, Set<String> pushTargets) {
    return standard(
        explicit, pushTargets, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** A user and password from the command line. */
  public record UserPassword(String username, String password) {
    @Override
    public String toString() {
      return "UserPassword[" + username + "]";
    }
  }

  /** The first credential found for {@code registry}. */
  public Optional<Credential> find(String registry) throws IOException {
    for (CredentialSource source : sources) {
      Optional<Credential> found = source.find(registry);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** Where credentials were looked for, for an error message. */
  public String describe() {
    if (sources.isEmpty()) {
      return "nowhere (anonymous access)";
    }
    return String.join(", ", sources.stream().map(CredentialSource::describe).toList());
  }
}
