package dev.rig.spec;

import java.util.List;

/**
 * What an image installs from apt repositories.
 *
 * @param requests {@code NAME} or {@code NAME=VERSION}, as written
 * @param distributions shorthands such as {@code debian:trixie}
 * @param repositories fully written repositories
 * @param installRecommends whether Recommends are installed too
 * @param includeApt whether apt is installed too, so packages can be added in a running container
 * @param slim what is left out of installed packages
 * @param systemPackages the user's own packages, installed like {@code requests}
 * @param environment the default tool sets, installed when the image installs anything
 */
public record PackagesSpec(
    List<String> requests,
    List<String> distributions,
    List<AptRepositorySpec> repositories,
    boolean installRecommends,
    boolean includeApt,
    SlimSpec slim,
    List<String> systemPackages,
    EnvironmentSpec environment) {
  public PackagesSpec {
    requests = List.copyOf(requests);
    systemPackages = List.copyOf(systemPackages);
    distributions = List.copyOf(distributions);
    repositories = List.copyOf(repositories);
  }

  /** No packages, from the default distribution. */
  public static final PackagesSpec NONE =
      new PackagesSpec(
          List.of(),
          List.of("debian:trixie"),
          List.of(),
          false,
          true,
          SlimSpec.KEEP_ALL,
          List.of(),
          EnvironmentSpec.DEFAULT);

  /** Whether the image installs nothing: neither {@code packages} nor {@code systemPackages}. */
  public boolean isEmpty() {
    return requests.isEmpty() && systemPackages.isEmpty();
  }

  /**
   * What the resolver is asked for from the spec's own lists: the requests, the system packages and
   * apt when {@link #includeApt}, each name once (the first mention wins, so a pin in {@code
   * packages} holds).
   */
  public List<String> resolverRequests() {
    List<String> all = new java.util.ArrayList<>();
    for (String request : requests) {
      addIfAbsent(all, request);
    }
    for (String request : systemPackages) {
      addIfAbsent(all, request);
    }
    if (includeApt) {
      addIfAbsent(all, "apt");
    }
    return List.copyOf(all);
  }

  /** Adds {@code request} unless {@code requests} already names its package. */
  public static void addIfAbsent(List<String> requests, String request) {
    String name = request.split("=")[0];
    if (requests.stream().noneMatch(r -> r.equals(name) || r.startsWith(name + "="))) {
      requests.add(request);
    }
  }
}
