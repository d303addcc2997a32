package dev.rig.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How registries are reached, as skopeo's flags say it, and what the command means to do with them:
 * the explicit credentials and the TLS relaxations are for the registries it pushes to ({@code
 * pushTo}, or the images' `registries`), or, when it pushes nothing, for the registries its bases
 * come from. Every other registry gets only its own logins and full TLS checks.
 *
 * @param credentials {@code USER:PASSWORD} given on the command line
 * @param tlsVerify false also allows plain HTTP
 * @param caFile a PEM file with the CA of a private registry
 * @param plainHttp talk plain HTTP
 * @param pushes whether the command pushes what it builds
 * @param pushTo the one target a push goes to instead of the images' `registries`
 */
public record RegistryAccess(
    Optional<String> credentials,
    boolean tlsVerify,
    Optional<Path> caFile,
    boolean plainHttp,
    boolean pushes,
    Optional<String> pushTo) {
  public static RegistryAccess defaults() {
    return new RegistryAccess(
        Optional.empty(), true, Optional.empty(), false, false, Optional.empty());
  }

  /** This access for a command that pushes its images to {@code to} (or their registries). */
  public RegistryAccess pushing(Optional<String> to) {
    return new RegistryAccess(credentials, tlsVerify, caFile, plainHttp, true, to);
  }
}
