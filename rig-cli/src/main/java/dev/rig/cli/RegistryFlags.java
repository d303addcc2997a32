package dev.rig.cli;

import dev.rig.registry.RegistryClient;
import dev.rig.registry.RegistryListener;
import dev.rig.registry.RegistryOptions;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.CredentialChain.UserPassword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** Registry access flags, named as skopeo names them. */
final class RegistryFlags {
  @Option(
      names = "--creds",
      paramLabel = "USER[:PASSWORD]",
      description =
          "Credentials for the registries pushed to (--to, or the images' `registries`;"
              + " for a command that does not push, the images' `from` registries). Other"
              + " registries get only their own logins: docker's config.json, podman's"
              + " auth.json, GITHUB_TOKEN for ghcr.io. RIG_REGISTRY_USER/PASSWORD are scoped"
              + " the same way.")
  String creds;

  @Option(
      names = "--tls-verify",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Verify the TLS certificate of the registries --creds is for (default: true); false"
              + " also allows plain HTTP there.")
  boolean tlsVerify = true;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "A PEM file with the CA that signed a private registry's certificate.")
  Path caFile;

  @Option(
      names = "--plain-http",
      description =
          "Talk plain HTTP (not HTTPS) to the registries --creds is for; loopback registries"
              + " may always use it.")
  boolean plainHttp;

  /**
   * A client whose explicit credentials, --tls-verify=false and --plain-http apply to {@code
   * targets} only (the registries the command pushes to, or pulls from when it pushes nothing).
   */
  RegistryClient client(RegistryListener listener, Set<String> targets) throws IOException {
    RegistryOptions options = RegistryOptions.defaults().withRelaxedHostsOnly(targets);
    if (caFile != null) {
      if (!Files.isRegularFile(caFile)) {
        throw new IllegalArgumentException(
            "--ca-file " + caFile + ": no such file (give the PEM file of the registry's CA)");
      }
      options = options.withCaFile(caFile.toAbsolutePath());
    }
    if (!tlsVerify) {
      options = options.withInsecure(true);
    }
    if (plainHttp) {
      options = options.withPlainHttp(true);
    }
    return new RegistryClient(
        options, CredentialChain.fromEnvironment(explicit(), targets), listener);
  }

  private Optional<UserPassword> explicit() {
    if (creds == null) {
      return Optional.empty();
    }
    int colon = creds.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--creds needs USER:PASSWORD (a password may also come from RIG_REGISTRY_PASSWORD)");
    }
    return Optional.of(new UserPassword(creds.substring(0, colon), creds.substring(colon + 1)));
  }
}
