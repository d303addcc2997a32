package dev.rig.cli;

import dev.rig.build.RegistryAccess;
import java.nio.file.Path;
import java.util.Optional;
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

  /** The flags for a command that pushes nothing (they apply to its bases' registries). */
  RegistryAccess access() {
    return new RegistryAccess(
        Optional.ofNullable(creds),
        tlsVerify,
        Optional.ofNullable(caFile),
        plainHttp,
        false,
        Optional.empty());
  }
}
