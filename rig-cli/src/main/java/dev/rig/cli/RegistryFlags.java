package dev.rig.cli;

import dev.rig.registry.RegistryClient;
import dev.rig.registry.RegistryListener;
import dev.rig.registry.RegistryOptions;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.ExplicitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Registry access flags, named as skopeo names them. */
final class RegistryFlags {
  @Option(
      names = "--creds",
      paramLabel = "USER[:PASSWORD]",
      description =
          "Credentials for the registry (default: RIG_REGISTRY_USER/PASSWORD, docker's"
              + " config.json, podman's auth.json, GITHUB_TOKEN for ghcr.io).")
  String creds;

  @Option(
      names = "--tls-verify",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Verify the registry's TLS certificate (default: true); false also allows plain HTTP.")
  boolean tlsVerify = true;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "A PEM file with the CA that signed a private registry's certificate.")
  Path caFile;

  @Option(names = "--plain-http", description = "Talk plain HTTP to the registry (not HTTPS).")
  boolean plainHttp;

  RegistryClient client(RegistryListener listener) throws IOException {
    RegistryOptions options = RegistryOptions.defaults();
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
    return new RegistryClient(options, CredentialChain.fromEnvironment(explicit()), listener);
  }

  private Optional<ExplicitCredentials> explicit() {
    if (creds == null) {
      return Optional.empty();
    }
    int colon = creds.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--creds needs USER:PASSWORD (a password may also come from RIG_REGISTRY_PASSWORD)");
    }
    return Optional.of(
        new ExplicitCredentials(creds.substring(0, colon), creds.substring(colon + 1)));
  }
}
