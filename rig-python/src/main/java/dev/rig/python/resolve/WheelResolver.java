package dev.rig.python.resolve;

import dev.rig.python.index.FileFacts;
import dev.rig.python.index.IndexClient;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.lock.LockedWheel;
import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.python.marker.MarkerSyntaxException;
import dev.rig.python.metadata.CoreMetadata;
import dev.rig.python.requirement.Requirement;
import dev.rig.python.version.InvalidVersionException;
import dev.rig.python.version.SpecifierSet;
import dev.rig.python.version.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns requirement strings into one wheel per project for a {@link PythonTarget}: markers
 * evaluated for the target, only wheels whose tags and Requires-Python fit, newest version first,
 * yanked files and pre-releases avoided as pip avoids them, extras followed, and a depth-first
 * search that backtracks when a choice leads to a clash. The search picks names in the order pip
 * prefers them (exact pins first, then by depth, then in the order they were asked for), so that
 * where several answers exist it lands on the one pip gives.
 */
public final class WheelResolver {
  /** More candidate tries than any real set of requirements needs; beyond it rig gives up. */
  static final int MAX_STEPS = 200_000;

  private final IndexClient client;

  public WheelResolver(IndexClient client) {
    this.client = client;
  }

  /**
   * The wheels {@code requirements} need on {@code target}, sorted by name.
   *
   * @throws ResolutionException when no set of wheels fits, with the clash in the message
   * @throws IOException when an index cannot be read
   */
  public Resolution resolve(
      List<String> requirements, PythonTarget target, List<PackageIndex> indexes)
      throws ResolutionException, IOException {
    if (indexes.isEmpty()) {
      throw new IllegalArgumentException("give at least one index to resolve against");
    }
    List<Constraint> roots = new ArrayList<>();
    MarkerEnvironment environment = target.markerEnvironment();
    for (String text : requirements) {
      Requirement requirement;
      try {
        requirement = Requirement.parse(text);
      } catch (MarkerSyntaxException | InvalidVersionException e) {
        throw new ResolutionException(
            "requirement '" + text.strip() + "': " + e.getMessage(), List.of());
      }
      if (requirement.appliesTo(environment.withExtra(""))) {
        roots.add(new Constraint(requirement, new Origin(text.strip(), Optional.empty(), true)));
      }
    }
    Candidates candidates = new Candidates(client, target);
    Search search = new Search(candidates, indexes, environment, client);
    Search.State solved;
    try {
      solved = search.run(roots);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<LockedWheel> wheels = new ArrayList<>();
    Map<String, TreeSet<String>> requiredBy = search.requiredBy(solved);
    for (Search.Pin pin : solved.pins().values()) {
      FileFacts facts = client.facts(pin.wheel().index(), pin.wheel().file());
      wheels.add(
          new LockedWheel(
              pin.name(),
              pin.metadata().version(),
              pin.wheel().file().filename(),
              pin.wheel().file().url(),
              facts.size(),
              facts.sha256(),
              List.copyOf(requiredBy.getOrDefault(pin.name(), new TreeSet<>()))));
    }
    return new Resolution(wheels);
  }

  /**
   * How a requirement came in: a user's requirement, or a project's dependency and its own origin.
   */
  record Origin(String text, Optional<Origin> parent, boolean user) {
    String chain() {
      List<String> steps = new ArrayList<>();
      for (Optional<Origin> o = Optional.of(this); o.isPresent(); o = o.get().parent()) {
        steps.add(0, o.get().user() ? "'" + o.get().text() + "'" : o.get().text());
      }
      return String.join(" -> ", steps);
    }
  }

  /** A requirement on a project and how it came in. */
  record Constraint(Requirement requirement, Origin origin) {
    String name() {
      return requirement.normalizedName();
    }

    String describe() {
      String spec =
          requirement.specifiers().isEmpty() ? "any version" : requirement.specifiers().toString();
      return name() + " " + spec + " (from " + origin.chain() + ")";
    }
  }

  /** The search: its mutable state lives only inside one {@link #run} and never escapes. */
  private static final class Search {
    /** A chosen wheel and the metadata read from it. */
    record Pin(String name, Candidates.Wheel wheel, CoreMetadata metadata) {}

    /**
     * One point of the search, copied before each choice so that backtracking is dropping the copy:
     * the constraints per project (in the order projects were first asked for), the extras asked
     * for, each project's depth, and the pins so far.
     */
    record State(
        Map<String, List<Constraint>> constraints,
        Map<String, Set<String>> extras,
        Map<String, Integer> depth,
        Map<String, Pin> pins) {
      State copy() {
        Map<String, List<Constraint>> c = new LinkedHashMap<>();
        constraints.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
        Map<String, Set<String>> e = new HashMap<>();
        extras.forEach((k, v) -> e.put(k, new TreeSet<>(v)));
        return new State(c, e, new HashMap<>(depth), new LinkedHashMap<>(pins));
      }
    }

    private final Candidates candidates;
    private final List<PackageIndex> indexes;
    private final MarkerEnvironment environment;
    private final IndexClient client;
    private final Map<String, CoreMetadata> metadata = new HashMap<>();
    private int steps;

    /** The clash found deepest in the search: the best explanation when everything fails. */
    private Optional<Failure> failure = Optional.empty();

    record Failure(int depth, String name, String message, List<String> chain) {}

    Search(
        Candidates candidates,
        List<PackageIndex> indexes,
        MarkerEnvironment environment,
        IndexClient client) {
      this.candidates = candidates;
      this.indexes = indexes;
      this.environment = environment;
      this.client = client;
    }

    State run(List<Constraint> roots) throws ResolutionException {
      State state =
          new State(new LinkedHashMap<>(), new HashMap<>(), new HashMap<>(), new LinkedHashMap<>());
      for (Constraint root : roots) {
        if (!add(state, root, 1)) {
          throw failed();
        }
      }
      Optional<State> solved = solve(state);
      if (solved.isEmpty()) {
        throw failed();
      }
      return solved.get();
    }

    private Optional<State> solve(State state) throws ResolutionException {
      Optional<String> next = nextName(state);
      if (next.isEmpty()) {
        return Optional.of(state);
      }
      String name = next.get();
      List<Constraint> on = state.constraints().get(name);
      SpecifierSet merged = SpecifierSet.ANY;
      for (Constraint c : on) {
        merged = merged.and(c.requirement().specifiers());
      }
      List<Candidates.Wheel> options;
      try {
        options = candidates.allowed(name, indexes, merged);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (options.isEmpty()) {
        noCandidate(state, name, on);
        return Optional.empty();
      }
      for (Candidates.Wheel option : options) {
        if (++steps > MAX_STEPS) {
          throw new ResolutionException(
              "gave up after "
                  + MAX_STEPS
                  + " tries without finding a set of wheels that fits;"
                  + " narrow the requirements (pin the projects named above) and run again",
              List.of());
        }
        CoreMetadata meta = metadata(option);
        if (meta.requiresPython().isPresent()
            && !candidates.pythonFits(meta.requiresPython().get())) {
          record(
              state,
              name,
              name + " " + option.version() + " requires Python " + meta.requiresPython().get(),
              List.of());
          continue;
        }
        State next2 = state.copy();
        next2.pins().put(name, new Pin(name, option, meta));
        if (!addDependencies(next2, name, next2.extras().getOrDefault(name, Set.of()), true)) {
          continue;
        }
        Optional<State> solved = solve(next2);
        if (solved.isPresent()) {
          return solved;
        }
      }
      return Optional.empty();
    }

    /**
     * The unpinned project to decide next: exact pins first, then the shallowest, then the first
     * asked for.
     */
    private Optional<String> nextName(State state) {
      String best = null;
      int bestPin = 0;
      int bestDepth = 0;
      for (String name : state.constraints().keySet()) {
        if (state.pins().containsKey(name)) {
          continue;
        }
        int pin =
            state.constraints().get(name).stream()
                    .anyMatch(
                        c ->
                            c.requirement().specifiers().specifiers().stream()
                                .anyMatch(s -> s.isPin()))
                ? 0
                : 1;
        int depth = state.depth().get(name);
        if (best == null || pin < bestPin || (pin == bestPin && depth < bestDepth)) {
          best = name;
          bestPin = pin;
          bestDepth = depth;
        }
      }
      return Optional.ofNullable(best);
    }

    /**
     * Adds a requirement to the state: checked against the pin when the project is decided (and the
     * dependencies of newly asked extras added), else kept for when it is. False on a clash.
     */
    private boolean add(State state, Constraint constraint, int depth) {
      String name = constraint.name();
      state.constraints().computeIfAbsent(name, n -> new ArrayList<>()).add(constraint);
      state.depth().merge(name, depth, Math::min);
      Set<String> extras = state.extras().computeIfAbsent(name, n -> new TreeSet<>());
      Set<String> added = new TreeSet<>(constraint.requirement().extras());
      added.removeAll(extras);
      extras.addAll(added);
      Pin pin = state.pins().get(name);
      if (pin == null) {
        return true;
      }
      Version version = pin.wheel().version();
      if (!constraint.requirement().specifiers().matchesIgnoringPreReleases(version)) {
        List<String> chain = new ArrayList<>();
        for (Constraint c : state.constraints().get(name)) {
          chain.add(c.describe());
        }
        record(
            state,
            name,
            name + " " + version + " was chosen, but " + constraint.describe() + " excludes it",
            chain);
        return false;
      }
      return added.isEmpty() || addDependencies(state, name, added, false);
    }

    /**
     * Adds the dependencies of a pinned project: the base ones (when {@code base}) and those of
     * {@code extras}.
     */
    private boolean addDependencies(State state, String name, Set<String> extras, boolean base) {
      Pin pin = state.pins().get(name);
      Origin from = new Origin(name + " " + pin.metadata().version(), Optional.empty(), false);
      int depth = state.depth().getOrDefault(name, 1) + 1;
      Set<String> provided = new TreeSet<>(pin.metadata().providesExtra());
      for (String text : pin.metadata().requiresDist()) {
        Requirement requirement;
        try {
          requirement = Requirement.parse(text);
        } catch (IllegalArgumentException e) {
          // pip skips what it cannot parse in metadata too; the lock stays what pip would make.
          continue;
        }
        boolean wanted = base && requirement.appliesTo(environment.withExtra(""));
        for (String extra : extras) {
          wanted =
              wanted
                  || (provided.contains(extra)
                      && requirement.appliesTo(environment.withExtra(extra)));
        }
        if (!wanted) {
          continue;
        }
        Origin origin = originFor(state, name, from);
        if (!add(state, new Constraint(requirement, origin), depth)) {
          return false;
        }
      }
      return true;
    }

    private Origin originFor(State state, String name, Origin from) {
      List<Constraint> on = state.constraints().getOrDefault(name, List.of());
      Optional<Origin> parent = on.isEmpty() ? Optional.empty() : Optional.of(on.get(0).origin());
      return new Origin(from.text(), parent, false);
    }

    private CoreMetadata metadata(Candidates.Wheel option) {
      String key = option.file().url().toString();
      CoreMetadata known = metadata.get(key);
      if (known != null) {
        return known;
      }
      try {
        String text = client.metadata(option.index(), option.file());
        CoreMetadata parsed = CoreMetadata.parse(text, option.file().filename() + " METADATA");
        metadata.put(key, parsed);
        return parsed;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void noCandidate(State state, String name, List<Constraint> on) {
      List<String> chain = on.stream().map(Constraint::describe).toList();
      Optional<String> none = candidates.whyNone(name);
      String message =
          none.orElseGet(
              () -> {
                List<String> versions = new ArrayList<>();
                try {
                  candidates.all(name, indexes).stream()
                      .filter(w -> !w.file().isYanked())
                      .map(w -> w.version().toString())
                      .distinct()
                      .limit(12)
                      .forEach(versions::add);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return "no version of '"
                    + name
                    + "' satisfies all of its requirements together"
                    + " (wheels that fit: "
                    + (versions.isEmpty() ? "none" : String.join(", ", versions))
                    + ")";
              });
      record(state, name, message, chain);
    }

    private void record(State state, String name, String message, List<String> chain) {
      int depth = state.pins().size();
      boolean hard = candidates.whyNone(name).isPresent();
      if (failure.isEmpty()
          || (hard && candidates.whyNone(failure.get().name()).isEmpty())
          || (hard == candidates.whyNone(failure.get().name()).isPresent()
              && depth >= failure.get().depth())) {
        failure = Optional.of(new Failure(depth, name, message, chain));
      }
    }

    private ResolutionException failed() {
      Failure f =
          failure.orElse(
              new Failure(0, "", "no set of wheels satisfies the requirements", List.of()));
      StringBuilder s = new StringBuilder("cannot resolve the Python requirements: " + f.message());
      if (!f.chain().isEmpty()) {
        s.append("\n  the requirements on '").append(f.name()).append("':");
        for (String line : f.chain()) {
          s.append("\n    ").append(line);
        }
        s.append(
            "\n  loosen one of these (or pin the projects that bring them in to versions that agree)");
      }
      return new ResolutionException(s.toString(), f.chain());
    }

    /** For each chosen project, what asked for it: user requirements and parent projects. */
    Map<String, TreeSet<String>> requiredBy(State solved) {
      Map<String, TreeSet<String>> by = new HashMap<>();
      solved
          .constraints()
          .forEach(
              (name, on) -> {
                TreeSet<String> set = by.computeIfAbsent(name, n -> new TreeSet<>());
                for (Constraint c : on) {
                  if (c.origin().parent().isEmpty() && c.origin().user()) {
                    set.add(c.origin().text());
                  } else if (!c.origin().text().startsWith(name + " ")) {
                    set.add(c.origin().text());
                  }
                }
              });
      return by;
    }
  }
}
