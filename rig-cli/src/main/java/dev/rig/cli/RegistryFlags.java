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
          "Credentials for the registry pushed to (default: RIG_REGISTRY_USER/PASSWORD, docker's"
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

  RegistryAccess access() {
    return new RegistryAccess(
        Optional.ofNullable(creds), tlsVerify, Optional.ofNullable(caFile), plainHttp);
  }
}
