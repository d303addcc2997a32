package dev.rig.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How registries are reached, as skopeo's flags say it.
 *
 * @param credentials {@code USER:PASSWORD} given on the command line, for the registries pushed to
 * @param tlsVerify false also allows plain HTTP
 * @param caFile a PEM file with the CA of a private registry
 * @param plainHttp talk plain HTTP
 */
public record RegistryAccess(
    Optional<String> credentials, boolean tlsVerify, Optional<Path> caFile, boolean plainHttp) {
  public static RegistryAccess defaults() {
    return new RegistryAccess(Optional.empty(), true, Optional.empty(), false);
  }
}
