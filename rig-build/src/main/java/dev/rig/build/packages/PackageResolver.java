package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.IndexCache;
import dev.rig.apt.repo.ReleaseFile;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.resolve.Request;
import dev.rig.apt.resolve.Resolution;
import dev.rig.apt.resolve.ResolutionException;
import dev.rig.apt.resolve.ResolveOptions;
import dev.rig.apt.resolve.Resolver;
import dev.rig.apt.resolve.Universe;
import dev.rig.apt.resolve.UnknownPackageException;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockedIndex;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.lock.LockedRepository;
import dev.rig.build.lock.PackageOrigin;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the signed indexes of an image's sources and resolves its requests into a lock: exact
 * packages with their hashes, and the index files that were used.
 */
public final class PackageResolver {
  public static final String ARCHITECTURE = "amd64";

  private PackageResolver() {}

  /** What the lock must match: the spec's requests and sources, and the resolver options. */
  public static LockInput input(
      List<String> requests, List<RepoSource> sources, boolean recommends) {
    return input(requests, sources, recommends, Optional.empty());
  }

  /**
   * What the lock must match; on a base image ({@code baseKey} present) the Essential set is the
   * base's, not added, and the base's identity is part of the input.
   */
  public static LockInput input(
      List<String> requests,
      List<RepoSource> sources,
      boolean recommends,
      Optional<String> baseKey) {
    List<LockedRepository> repositories = new ArrayList<>();
    for (RepoSource source : sources) {
      repositories.add(new LockedRepository(source.lockUri(), source.suite(), source.components()));
    }
    return new LockInput(
        ARCHITECTURE, requests, repositories, recommends, baseKey.isEmpty(), baseKey.orElse(""));
  }

  /**
   * An index URL as the lock records it: under a distribution shorthand, relative to it ({@code
   * debian:dists/trixie/main/...}), so the lock names no mirror and holds on any machine.
   */
  static String lockUrl(RepoSource source, String url) {
    String base = source.uri().toString();
    if (source.lockUri().equals(base) || !url.startsWith(base)) {
      return url;
    }
    return source.lockUri() + url.substring(base.length()).replaceFirst("^/+", "");
  }

  /** Each source as a person reads it: {@code debian trixie (main, non-free) at URI}. */
  private static List<String> searched(List<RepoSource> sources) {
    List<String> searched = new ArrayList<>();
    for (RepoSource source : sources) {
      searched.add(
          source.name()
              + " "
              + source.suite()
              + (source.components().isEmpty()
                  ? ""
                  : " (" + String.join(", ", source.components()) + ")")
              + " at "
              + source.uri());
    }
    return searched;
  }

  public static ImageLock resolve(
      String image, List<String> requests, List<RepoSource> sources, boolean recommends)
      throws IOException {
    return resolve(image, requests, sources, recommends, Optional.empty());
  }

  /**
   * Resolves {@code requests} from the sources' current signed indexes, taking index files from
   * {@code indexes} when the Release file lists ones it holds.
   */
  public static ImageLock resolve(
      String image,
      List<String> requests,
      List<RepoSource> sources,
      boolean recommends,
      Optional<IndexCache> indexes)
      throws IOException {
    return resolve(image, requests, sources, recommends, indexes, List.of(), Optional.empty());
  }

  /**
   * Resolves {@code requests} on a system that has {@code installed} already (a base image, whose
   * identity is {@code baseKey}): the lock holds only the packages to install or upgrade.
   */
  public static ImageLock resolve(
      String image,
      List<String> requests,
      List<RepoSource> sources,
      boolean recommends,
      Optional<IndexCache> indexes,
      List<PackageRecord> installed,
      Optional<String> baseKey)
      throws IOException {
    Map<PackageRecord, PackageOrigin> origins = new IdentityHashMap<>();
    List<PackageRecord> all = new ArrayList<>();
    List<LockedIndex> used = new ArrayList<>();
    for (RepoSource source : sources) {
      SuiteReader reader =
          indexes.isPresent()
              ? SuiteReader.cached(
                  source.fetcher(), source.suite(), source.keyring(), indexes.get())
              : new SuiteReader(source.fetcher(), source.suite(), source.keyring());
      ReleaseFile release = reader.release();
      // A flat repository (suite "/") has no components: its one index is read once.
      List<String> components = reader.flat() ? List.of("") : source.components();
      for (String component : components) {
        if (!reader.flat()
            && !release.components().isEmpty()
            && !release.components().contains(component)) {
          continue;
        }
        SuiteReader.Index index = reader.index(release, component, ARCHITECTURE);
        used.add(
            new LockedIndex(
                lockUrl(source, index.url()),
                index.sha256(),
                release.date().map(Instant::toString).orElse(null)));
        PackageOrigin origin = new PackageOrigin(source.lockUri(), source.suite(), component);
        for (PackageRecord record : index.packages()) {
          origins.put(record, origin);
          all.add(record);
        }
      }
    }
    Universe universe = Universe.of(ARCHITECTURE, all);
    ResolveOptions options =
        ResolveOptions.DEFAULT.withRecommends(recommends).withEssential(baseKey.isEmpty());
    Resolution resolution;
    try {
      resolution =
          new Resolver(universe, options)
              .resolve(requests.stream().map(Request::parse).toList(), installed);
    } catch (UnknownPackageException e) {
      throw new PackageNotFoundException(image, e.name(), searched(sources), e::closeNames);
    } catch (ResolutionException e) {
      throw new PackageException("image '" + image + "': " + e.getMessage(), e);
    }
    List<LockedPackage> locked = new ArrayList<>();
    for (PackageRecord record : resolution.packages()) {
      PackageOrigin origin = origins.get(record);
      if (origin == null) {
        throw new IllegalStateException("resolved " + record.id() + " from no known index");
      }
      locked.add(LockedPackage.of(record, origin));
    }
    return new ImageLock(input(requests, sources, recommends, baseKey), locked, used);
  }
}
