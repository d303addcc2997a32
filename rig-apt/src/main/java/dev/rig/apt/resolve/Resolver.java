package dev.rig.apt.resolve;

import dev.rig.apt.control.Dependency;
import dev.rig.apt.control.MultiArch;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import dev.rig.apt.version.Relation;
import dev.rig.apt.version.VersionConstraint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes an install set from a {@link Universe}: Depends and Pre-Depends (and Recommends when
 * asked), alternatives in the order written, real packages before virtual ones, newest version
 * first, and no two packages that Conflict or Break each other. A depth-first search with
 * backtracking, so that a first choice that leads to a conflict is revisited instead of failing;
 * every choice follows a fixed order, so the same input always gives the same set.
 *
 * <p>On a system with packages installed already (a base image's dpkg status), those count as
 * chosen, as apt treats them: a dependency they satisfy is kept, one is upgraded only when a
 * request names it (to the newest version, as {@code apt-get install} does) or a dependency needs a
 * newer version, and a conflict with one is reported with its chain (apt would remove it; rig never
 * removes what a base image installed).
 */
public final class Resolver {
  private final Universe universe;
  private final ResolveOptions options;

  public Resolver(Universe universe, ResolveOptions options) {
    this.universe = universe;
    this.options = options;
  }

  public Resolution resolve(List<Request> requests) {
    return resolve(requests, List.of());
  }

  /**
   * Resolves {@code requests} on a system where {@code installed} (one version per name) are
   * installed already; the resolution holds only what must be installed or upgraded.
   */
  public Resolution resolve(List<Request> requests, List<PackageRecord> installed) {
    return new Search(universe, options, installed).run(requests);
  }

  /** Why a package is wanted: the package (null for the request itself) and the edge followed. */
  private record Reason(PackageRecord from, String edge, Reason parent) {
    String chain() {
      List<String> steps = new ArrayList<>();
      for (Reason r = this; r != null; r = r.parent) {
        steps.add(
            0, r.from == null ? r.edge : r.from.name() + " " + r.from.version() + " " + r.edge);
      }
      return String.join("\n  -> ", steps);
    }
  }

  /** An open dependency and why it is open; soft ones (Recommends) may stay unsatisfied. */
  private record Obligation(Dependency dependency, Reason reason, boolean soft) {}

  /** The mutable state of one search; it never escapes {@link #resolve}. */
  private static final class Search {
    private final Universe universe;
    private final ResolveOptions options;
    private final Map<String, PackageRecord> selected = new LinkedHashMap<>();
    private final Map<String, Reason> reasons = new LinkedHashMap<>();
    private final List<Obligation> obligations = new ArrayList<>();

    /** What the system had before this search, by name; never changes. */
    private final Map<String, PackageRecord> installed = new LinkedHashMap<>();

    private int steps;
    private String failure;
    private int failureDepth = -1;

    Search(Universe universe, ResolveOptions options, List<PackageRecord> installed) {
      this.universe = universe;
      this.options = options;
      Reason base = new Reason(null, "installed already", null);
      for (PackageRecord p : installed) {
        this.installed.put(p.name(), p);
        selected.put(p.name(), p);
        reasons.put(p.name(), base);
      }
    }

    Resolution run(List<Request> requests) {
      for (Request request : requests) {
        obligations.add(
            new Obligation(
                rootDependency(request), new Reason(null, "requested " + request, null), false));
      }
      if (options.addEssential()) {
        for (PackageRecord p : universe.essential()) {
          obligations.add(
              new Obligation(
                  new Dependency(List.of(PackageRef.of(p.name()))),
                  new Reason(null, "essential " + p.name(), null),
                  false));
        }
      }
      if (!search(0)) {
        throw new ResolutionException(
            "cannot install "
                + requests.stream().map(Request::toString).collect(Collectors.joining(" "))
                + ":\n  "
                + failure);
      }
      List<PackageRecord> packages =
          selected.values().stream()
              .filter(p -> installed.get(p.name()) != p)
              .sorted(Comparator.comparing(PackageRecord::name))
              .toList();
      Map<String, String> why = new LinkedHashMap<>();
      for (PackageRecord p : packages) {
        why.put(p.name(), reasons.get(p.name()).chain());
      }
      return new Resolution(packages, why);
    }

    /**
     * A request is a dependency on the name (pinned with '='), except that apt refuses a virtual
     * name with several providers, asking the user to choose; so do we.
     */
    private Dependency rootDependency(Request request) {
      if (universe.versions(request.name()).isEmpty()) {
        List<Universe.Provider> providers = universe.providers(request.name());
        if (providers.isEmpty()) {
          throw new UnknownPackageException(
              request.name(), () -> universe.closeNames(request.name(), 3));
        }
        List<String> names = providers.stream().map(p -> p.pkg().name()).distinct().toList();
        if (names.size() > 1) {
          throw new ResolutionException(
              request.name()
                  + " is a virtual package provided by "
                  + names
                  + "; request one of them");
        }
      } else if (request.pin().isPresent()
          && universe.versions(request.name()).stream()
              .noneMatch(p -> p.version().sameAs(request.pin().get()))) {
        throw new ResolutionException(
            "version "
                + request.pin().get()
                + " of "
                + request.name()
                + " is not available (have "
                + universe.versions(request.name()).stream()
                    .map(p -> p.version().toString())
                    .toList()
                + ")");
      }
      Optional<VersionConstraint> pin =
          request.pin().map(v -> new VersionConstraint(Relation.EQUAL, v));
      PackageRecord had = installed.get(request.name());
      if (pin.isEmpty() && had != null && !universe.versions(request.name()).isEmpty()) {
        // apt-get install of an installed package brings it to the newest version there is.
        PackageRecord newest = universe.versions(request.name()).get(0);
        if (newest.version().compareTo(had.version()) > 0) {
          pin = Optional.of(new VersionConstraint(Relation.LATER_OR_EQUAL, newest.version()));
        }
      }
      return new Dependency(List.of(new PackageRef(request.name(), Optional.empty(), pin)));
    }

    private boolean search(int pos) {
      if (++steps > options.stepLimit()) {
        throw new ResolutionException(
            "gave up after " + options.stepLimit() + " steps; last problem:\n  " + failure);
      }
      while (pos < obligations.size()) {
        Obligation ob = obligations.get(pos);
        if (satisfiedBySelection(ob.dependency())) {
          pos++;
          continue;
        }
        List<PackageRecord> candidates = candidates(ob.dependency());
        if (candidates.isEmpty()) {
          if (ob.soft()) {
            pos++;
            continue;
          }
          fail(
              ob.reason(),
              "no package satisfies " + ob.dependency() + missingDetail(ob.dependency()));
          return false;
        }
        for (PackageRecord candidate : candidates) {
          Optional<String> clash = clash(candidate);
          if (clash.isPresent()) {
            fail(
                ob.reason(),
                "cannot use " + candidate.name() + " " + candidate.version() + ": " + clash.get());
            continue;
          }
          int mark = obligations.size();
          PackageRecord replaced = selected.get(candidate.name());
          Reason replacedReason = reasons.get(candidate.name());
          select(candidate, ob);
          if (replaced != null) {
            recheckDependents(candidate);
          }
          if (search(pos + 1)) {
            return true;
          }
          if (replaced != null) {
            selected.put(candidate.name(), replaced);
            reasons.put(candidate.name(), replacedReason);
          } else {
            selected.remove(candidate.name());
            reasons.remove(candidate.name());
          }
          obligations.subList(mark, obligations.size()).clear();
        }
        if (ob.soft()) {
          pos++;
          continue;
        }
        return false;
      }
      return true;
    }

    /**
     * An installed package is being upgraded: every other installed package that depends on it must
     * still be satisfied by the new version, so their dependencies on it are open again.
     */
    private void recheckDependents(PackageRecord upgraded) {
      for (PackageRecord q : installed.values()) {
        if (selected.get(q.name()) != q) {
          continue;
        }
        List<Dependency> deps = new ArrayList<>(q.preDepends());
        deps.addAll(q.depends());
        for (Dependency d : deps) {
          if (d.alternatives().stream().anyMatch(r -> r.name().equals(upgraded.name()))) {
            obligations.add(
                new Obligation(
                    d,
                    new Reason(q, "depends on " + d, new Reason(null, "installed already", null)),
                    false));
          }
        }
      }
    }

    private void select(PackageRecord p, Obligation ob) {
      Reason via = ob.reason();
      selected.put(p.name(), p);
      reasons.put(p.name(), via);
      for (Dependency d : p.preDepends()) {
        obligations.add(new Obligation(d, new Reason(p, "pre-depends on " + d, via), false));
      }
      for (Dependency d : p.depends()) {
        obligations.add(new Obligation(d, new Reason(p, "depends on " + d, via), false));
      }
      if (options.installRecommends()) {
        for (Dependency d : p.recommends()) {
          obligations.add(new Obligation(d, new Reason(p, "recommends " + d, via), true));
        }
      }
    }

    /** Keeps the deepest problem seen: it is the one closest to the real cause. */
    private void fail(Reason reason, String problem) {
      int depth = 0;
      for (Reason r = reason; r != null; r = r.parent()) {
        depth++;
      }
      if (depth > failureDepth) {
        failureDepth = depth;
        failure = reason.chain() + "\n  : " + problem;
      }
    }

    private String missingDetail(Dependency d) {
      List<String> parts = new ArrayList<>();
      for (PackageRef ref : d.alternatives()) {
        List<PackageRecord> real = universe.versions(ref.name());
        if (!real.isEmpty()) {
          parts.add(ref.name() + " has " + real.stream().map(p -> p.version().toString()).toList());
        } else if (!universe.providers(ref.name()).isEmpty()) {
          parts.add(
              ref.name()
                  + " is provided by "
                  + universe.providers(ref.name()).stream()
                      .map(p -> p.pkg().name() + " (" + p.provided() + ")")
                      .toList());
        } else {
          parts.add("no package " + ref.name() + " exists and nothing provides it");
        }
      }
      return " (" + String.join("; ", parts) + ")";
    }

    private boolean satisfiedBySelection(Dependency d) {
      for (PackageRef ref : d.alternatives()) {
        PackageRecord real = selected.get(ref.name());
        if (real != null && satisfiesReal(real, ref)) {
          return true;
        }
        for (Universe.Provider pr : universe.providers(ref.name())) {
          if (selected.get(pr.pkg().name()) == pr.pkg() && satisfiesVirtual(pr, ref)) {
            return true;
          }
        }
        // Installed packages come from the status file, not the universe's indexes.
        for (PackageRecord p : installed.values()) {
          if (selected.get(p.name()) == p
              && p.provides().stream()
                  .anyMatch(
                      pv ->
                          pv.name().equals(ref.name())
                              && satisfiesVirtual(new Universe.Provider(p, pv), ref))) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Candidates in preference order: alternatives as written; for each, real versions newest
     * first, then providers by name. A name already selected at another version is no candidate,
     * since only one version of a package can be installed.
     */
    private List<PackageRecord> candidates(Dependency d) {
      List<PackageRecord> out = new ArrayList<>();
      for (PackageRef ref : d.alternatives()) {
        for (PackageRecord p : universe.versions(ref.name())) {
          if (satisfiesReal(p, ref) && compatible(p) && !out.contains(p)) {
            out.add(p);
          }
        }
        for (Universe.Provider pr : universe.providers(ref.name())) {
          if (satisfiesVirtual(pr, ref) && compatible(pr.pkg()) && !out.contains(pr.pkg())) {
            out.add(pr.pkg());
          }
        }
      }
      return out;
    }

    /**
     * Only one version of a package can be installed: a name already chosen takes no other version,
     * except that an installed one may be upgraded to a newer version (once).
     */
    private boolean compatible(PackageRecord p) {
      PackageRecord already = selected.get(p.name());
      if (already == null || already == p) {
        return true;
      }
      return already == installed.get(p.name()) && p.version().compareTo(already.version()) > 0;
    }

    /** dpkg's rules for {@code :any}: only Multi-Arch: allowed packages satisfy it. */
    private boolean satisfiesReal(PackageRecord p, PackageRef ref) {
      if (!p.name().equals(ref.name())) {
        return false;
      }
      if (ref.archQualifier().isPresent()) {
        String q = ref.archQualifier().get();
        if (q.equals("any")) {
          if (p.multiArch() != MultiArch.ALLOWED) {
            return false;
          }
        } else if (!q.equals("native") && !q.equals(p.architecture())) {
          return false;
        }
      }
      return ref.constraint().map(c -> c.accepts(p.version())).orElse(true);
    }

    /** An unversioned Provides never satisfies a versioned dependency (Debian policy 7.5). */
    private static boolean satisfiesVirtual(Universe.Provider pr, PackageRef ref) {
      if (ref.constraint().isEmpty()) {
        return true;
      }
      Optional<VersionConstraint> provided = pr.provided().constraint();
      return provided.isPresent()
          && provided.get().relation() == Relation.EQUAL
          && ref.constraint().get().accepts(provided.get().version());
    }

    /** A Conflicts or Breaks between {@code p} and the selection, in either direction. */
    private Optional<String> clash(PackageRecord p) {
      for (PackageRecord q : selected.values()) {
        if (q == p || q.name().equals(p.name())) {
          continue;
        }
        Optional<String> forward = hits(p, q);
        if (forward.isPresent()) {
          return Optional.of(forward.get() + ", and " + describe(q));
        }
        Optional<String> backward = hits(q, p);
        if (backward.isPresent()) {
          return Optional.of(backward.get() + ", and " + describe(q));
        }
      }
      return Optional.empty();
    }

    private String describe(PackageRecord q) {
      return q.name()
          + " "
          + q.version()
          + " is already chosen ("
          + reasons.get(q.name()).chain().replace("\n  -> ", " -> ")
          + ")";
    }

    private Optional<String> hits(PackageRecord from, PackageRecord target) {
      for (String kind : List.of("conflicts with", "breaks")) {
        List<Dependency> list = kind.equals("breaks") ? from.breaks() : from.conflicts();
        for (Dependency d : list) {
          for (PackageRef ref : d.alternatives()) {
            boolean real =
                target.name().equals(ref.name())
                    && ref.constraint().map(c -> c.accepts(target.version())).orElse(true);
            boolean virtual =
                !target.name().equals(from.name())
                    && target.provides().stream()
                        .anyMatch(
                            pv ->
                                pv.name().equals(ref.name())
                                    && satisfiesVirtual(new Universe.Provider(target, pv), ref));
            if (real || virtual) {
              return Optional.of(from.name() + " " + from.version() + " " + kind + " " + ref);
            }
          }
        }
      }
      return Optional.empty();
    }
  }
}
