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
 */
public record PackagesSpec(
    List<String> requests,
    List<String> distributions,
    List<AptRepositorySpec> repositories,
    boolean installRecommends,
    boolean includeApt,
    SlimSpec slim) {
  public PackagesSpec {
    requests = List.copyOf(requests);
    distributions = List.copyOf(distributions);
    repositories = List.copyOf(repositories);
  }

  /** No packages, from the default distribution. */
  public static final PackagesSpec NONE =
      new PackagesSpec(
          List.of(), List.of("debian:trixie"), List.of(), false, true, SlimSpec.KEEP_ALL);

  public boolean isEmpty() {
    return requests.isEmpty();
  }

  /** What the resolver is asked for: the requests, and apt when {@link #includeApt}. */
  public List<String> resolverRequests() {
    if (!includeApt || requests.stream().anyMatch(r -> r.equals("apt") || r.startsWith("apt="))) {
      return requests;
    }
    List<String> all = new java.util.ArrayList<>(requests);
    all.add("apt");
    return List.copyOf(all);
  }
}
