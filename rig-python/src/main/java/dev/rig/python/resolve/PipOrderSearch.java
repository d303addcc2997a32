package dev.rig.python.resolve;

import dev.rig.python.index.PackageIndex;
import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.python.metadata.CoreMetadata;
import dev.rig.python.requirement.Requirement;
import dev.rig.python.version.SpecifierSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The search itself, step for step the one pip runs (its resolvelib rounds and its preference
 * order), so that where several sets of wheels would do, rig lands on the set pip gives: each round
 * pins the most preferred requirement whose pin is missing or no longer fits (exact pins first,
 * then projects that caused the last backtrack, then the shallowest, then the order asked for, then
 * by name); a pin that leaves some requirement without candidates is skipped; when no candidate of
 * a project works, the latest pin is undone and marked incompatible. A project with extras ({@code
 * fastapi[standard]}) is a requirement of its own that pins the plain project to the same version.
 * The mutable state lives in one instance, used for one resolution.
 */
final class PipOrderSearch {
  /** A requirement on one identifier: version clauses, or one exact candidate (an extra's base). */
  record Req(
      String identifier,
      String name,
      SortedSet<String> extras,
      SpecifierSet specifiers,
      Optional<Cand> explicit,
      String text) {}

  /** A candidate: a wheel of the project, with the extras its identifier asks for. */
  record Cand(String identifier, String name, SortedSet<String> extras, Candidates.Wheel wheel) {
    String describe() {
      return name + " " + wheel.version();
    }
  }

  /** A requirement and the pinned candidate it came from (empty for the user's). */
  record Info(Req requirement, Optional<Cand> parent) {}

  record Criterion(List<Cand> candidates, List<Info> information, List<Cand> incompatibilities) {}

  record State(
      LinkedHashMap<String, Cand> mapping,
      LinkedHashMap<String, Criterion> criteria,
      List<Info> backtrackCauses) {
    State copy() {
      return new State(
          new LinkedHashMap<>(mapping),
          new LinkedHashMap<>(criteria),
          new ArrayList<>(backtrackCauses));
    }
  }

  /** A requirement left without candidates. */
  static final class Conflict extends Exception {
    final Criterion criterion;

    Conflict(Criterion criterion) {
      super(null, null, false, false);
      this.criterion = criterion;
    }
  }

  private static final String PYTHON = "<Python from Requires-Python>";

  private final Candidates candidates;
  private final List<PackageIndex> indexes;
  private final MarkerEnvironment environment;
  private final Function<Candidates.Wheel, CoreMetadata> metadata;
  private final Map<String, Integer> userRequested = new HashMap<>();
  private final Map<String, Double> knownDepths = new HashMap<>();
  private final List<State> states = new ArrayList<>();
  private final int maxRounds;

  /** Every clash seen, per identifier, described with its chain when it happened: for the error. */
  private final Map<String, Set<String>> clashes = new LinkedHashMap<>();

  PipOrderSearch(
      Candidates candidates,
      List<PackageIndex> indexes,
      MarkerEnvironment environment,
      Function<Candidates.Wheel, CoreMetadata> metadata,
      int maxRounds) {
    this.candidates = candidates;
    this.indexes = indexes;
    this.environment = environment;
    this.metadata = metadata;
    this.maxRounds = maxRounds;
  }

  /** The outcome: the final state, or the requirements that could not be met together. */
  record Outcome(Optional<State> solved, List<Info> causes, boolean tooDeep) {}

  /** Requirements of the user, each with its position among all they wrote (for the order). */
  Outcome run(List<Requirement> roots, List<Integer> positions, List<String> texts) {
    State root = new State(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    states.add(root);
    for (int i = 0; i < roots.size(); i++) {
      Req req = fromRequirement(roots.get(i), texts.get(i));
      try {
        addToCriteria(state().criteria(), req, Optional.empty());
      } catch (Conflict c) {
        for (Info cause : c.criterion.information()) {
          clashes
              .computeIfAbsent(
                  cause.requirement().identifier(), k -> new java.util.LinkedHashSet<>())
              .add(describe(cause));
        }
        return new Outcome(Optional.empty(), c.criterion.information(), false);
      }
      userRequested.putIfAbsent(req.identifier(), positions.get(i));
    }
    pushNewState();
    for (int round = 0; round < maxRounds; round++) {
      List<String> unsatisfied = new ArrayList<>();
      for (Map.Entry<String, Criterion> e : state().criteria().entrySet()) {
        if (!currentPinSatisfies(e.getKey(), e.getValue())) {
          unsatisfied.add(e.getKey());
        }
      }
      if (unsatisfied.isEmpty()) {
        return new Outcome(Optional.of(state()), List.of(), false);
      }
      String name = null;
      Preference best = null;
      for (String candidate : unsatisfied) {
        Preference p = preference(candidate);
        if (best == null || p.compareTo(best) < 0) {
          best = p;
          name = candidate;
        }
      }
      List<Criterion> failures = attemptToPin(name);
      if (!failures.isEmpty()) {
        List<Info> causes = new ArrayList<>();
        failures.forEach(c -> causes.addAll(c.information()));
        for (Info cause : causes) {
          clashes
              .computeIfAbsent(
                  cause.requirement().identifier(), k -> new java.util.LinkedHashSet<>())
              .add(describe(cause));
        }
        boolean success = backtrack();
        state().backtrackCauses().clear();
        state().backtrackCauses().addAll(causes);
        if (!success) {
          return new Outcome(Optional.empty(), causes, false);
        }
      } else {
        pushNewState();
      }
    }
    return new Outcome(Optional.empty(), List.of(), true);
  }

  /** The clashes seen for {@code identifier}, each as "name clauses (from chain)". */
  List<String> clashesOn(String identifier) {
    return new ArrayList<>(clashes.getOrDefault(identifier, Set.of()));
  }

  /** {@code lib >=2 (from 'app==3.0' -> app 3.0)}, from the state the clash arose in. */
  private String describe(Info info) {
    Req r = info.requirement();
    if (r.identifier().equals(PYTHON)) {
      return info.parent().map(Cand::describe).orElse("?") + " needs " + r.text();
    }
    String spec =
        r.explicit().isPresent()
            ? "== " + r.explicit().get().wheel().version()
            : r.specifiers().isEmpty() ? "any version" : r.specifiers().toString();
    return r.identifier() + " " + spec + " (from " + chain(info) + ")";
  }

  private String chain(Info info) {
    List<String> steps = new ArrayList<>();
    Info at = info;
    Set<String> seen = new HashSet<>();
    for (int depth = 0; depth < 30; depth++) {
      if (at.parent().isEmpty()) {
        steps.add(0, "'" + at.requirement().text() + "'");
        break;
      }
      Cand parent = at.parent().get();
      steps.add(0, parent.describe());
      Criterion c = state().criteria().get(parent.identifier());
      if (c == null || c.information().isEmpty() || !seen.add(parent.identifier())) {
        break;
      }
      at = c.information().get(0);
    }
    return String.join(" -> ", steps);
  }

  private State state() {
    return states.get(states.size() - 1);
  }

  private void pushNewState() {
    states.add(state().copy());
  }

  static String identifier(String name, SortedSet<String> extras) {
    return extras.isEmpty() ? name : name + "[" + String.join(",", extras) + "]";
  }

  private static Req fromRequirement(Requirement r, String text) {
    String name = r.normalizedName();
    return new Req(
        identifier(name, r.extras()), name, r.extras(), r.specifiers(), Optional.empty(), text);
  }

  private void addToCriteria(Map<String, Criterion> criteria, Req req, Optional<Cand> parent)
      throws Conflict {
    String id = req.identifier();
    Criterion existing = criteria.get(id);
    List<Cand> incompatibilities =
        existing == null ? new ArrayList<>() : new ArrayList<>(existing.incompatibilities());
    Function<String, List<Req>> requirements =
        key -> {
          List<Req> all = new ArrayList<>();
          Criterion c = criteria.get(key);
          if (c != null) {
            c.information().forEach(i -> all.add(i.requirement()));
          }
          if (key.equals(id)) {
            all.add(req);
          }
          return all;
        };
    Function<String, List<Cand>> incompatible =
        key -> {
          if (key.equals(id)) {
            return incompatibilities;
          }
          Criterion c = criteria.get(key);
          return c == null ? List.of() : c.incompatibilities();
        };
    List<Cand> matches = findMatches(id, requirements, incompatible);
    List<Info> information =
        existing == null ? new ArrayList<>() : new ArrayList<>(existing.information());
    information.add(new Info(req, parent));
    Criterion criterion = new Criterion(matches, information, incompatibilities);
    if (matches.isEmpty()) {
      throw new Conflict(criterion);
    }
    criteria.put(id, criterion);
  }

  /** pip's find_matches: exact candidates when some requirement names one, else the index's. */
  private List<Cand> findMatches(
      String id,
      Function<String, List<Req>> requirements,
      Function<String, List<Cand>> incompatible) {
    List<Req> reqs = requirements.apply(id);
    Req any = reqs.get(0);
    String name = any.name();
    SortedSet<String> extras = any.extras();
    Set<Cand> explicit = new java.util.LinkedHashSet<>();
    for (Req r : reqs) {
      r.explicit().ifPresent(explicit::add);
    }
    if (!extras.isEmpty()) {
      for (Req r : requirements.apply(name)) {
        r.explicit().ifPresent(base -> explicit.add(new Cand(id, name, extras, base.wheel())));
      }
    }
    List<Cand> out = new ArrayList<>();
    List<Cand> excluded = incompatible.apply(id);
    if (explicit.isEmpty()) {
      SpecifierSet merged = SpecifierSet.ANY;
      for (Req r : reqs) {
        if (r.explicit().isEmpty()) {
          merged = merged.and(r.specifiers());
        }
      }
      List<Candidates.Wheel> wheels;
      try {
        wheels = candidates.allowed(name, indexes, merged);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Candidates.Wheel w : wheels) {
        Cand c = new Cand(id, name, extras, w);
        if (!excluded.contains(c)) {
          out.add(c);
        }
      }
      return out;
    }
    for (Cand c : explicit) {
      if (!excluded.contains(c) && reqs.stream().allMatch(r -> satisfies(r, c))) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean satisfies(Req r, Cand c) {
    if (r.explicit().isPresent()) {
      return r.explicit().get().equals(c);
    }
    return r.specifiers().matchesIgnoringPreReleases(c.wheel().version());
  }

  private boolean currentPinSatisfies(String id, Criterion criterion) {
    Cand pin = state().mapping().get(id);
    if (pin == null) {
      return false;
    }
    return criterion.information().stream().allMatch(i -> satisfies(i.requirement(), pin));
  }

  /** pip's sort key for what to pin next: smaller first. */
  record Preference(
      boolean delayed,
      boolean notDirect,
      boolean notPinned,
      boolean notBacktrackCause,
      double depth,
      double requestedOrder,
      boolean notUnfree,
      String identifier)
      implements Comparable<Preference> {
    @Override
    public int compareTo(Preference o) {
      int c = Boolean.compare(delayed, o.delayed);
      if (c == 0) c = Boolean.compare(notDirect, o.notDirect);
      if (c == 0) c = Boolean.compare(notPinned, o.notPinned);
      if (c == 0) c = Boolean.compare(notBacktrackCause, o.notBacktrackCause);
      if (c == 0) c = Double.compare(depth, o.depth);
      if (c == 0) c = Double.compare(requestedOrder, o.requestedOrder);
      if (c == 0) c = Boolean.compare(notUnfree, o.notUnfree);
      if (c == 0) c = identifier.compareTo(o.identifier);
      return c;
    }
  }

  private Preference preference(String id) {
    List<Info> information = state().criteria().get(id).information();
    // pip 23.0 computes "direct" from a tuple that is never None, so every identifier counts as
    // direct and the key does not order anything; rig keeps the same (non-)order.
    boolean direct = true;
    List<String> operators = new ArrayList<>();
    for (Info i : information) {
      if (i.requirement().explicit().isEmpty()) {
        i.requirement()
            .specifiers()
            .specifiers()
            .forEach(s -> operators.add(s.operator().symbol()));
      }
    }
    boolean pinned = operators.stream().anyMatch(op -> op.startsWith("=="));
    boolean unfree = !operators.isEmpty();
    double depth;
    Integer order = userRequested.get(id);
    if (order == null) {
      double min = Double.POSITIVE_INFINITY;
      for (Info i : information) {
        double d =
            i.parent()
                .map(p -> knownDepths.getOrDefault(p.identifier(), Double.POSITIVE_INFINITY))
                .orElse(0.0);
        min = Math.min(min, d);
      }
      depth = min + 1.0;
    } else {
      depth = 1.0;
    }
    knownDepths.put(id, depth);
    boolean cause = false;
    for (Info c : state().backtrackCauses()) {
      if (id.equals(c.requirement().identifier())
          || c.parent().map(p -> p.identifier().equals(id)).orElse(false)) {
        cause = true;
        break;
      }
    }
    return new Preference(
        id.equals("setuptools"),
        !direct,
        !pinned,
        !cause,
        depth,
        order == null ? Double.POSITIVE_INFINITY : order,
        !unfree,
        id);
  }

  private List<Criterion> attemptToPin(String id) {
    Criterion criterion = state().criteria().get(id);
    List<Criterion> causes = new ArrayList<>();
    for (Cand candidate : criterion.candidates()) {
      LinkedHashMap<String, Criterion> updated;
      try {
        updated = updatedCriteria(candidate);
      } catch (Conflict c) {
        causes.add(c.criterion);
        continue;
      }
      state().criteria().clear();
      state().criteria().putAll(updated);
      state().mapping().remove(id);
      state().mapping().put(id, candidate);
      return List.of();
    }
    return causes;
  }

  private LinkedHashMap<String, Criterion> updatedCriteria(Cand candidate) throws Conflict {
    LinkedHashMap<String, Criterion> criteria = new LinkedHashMap<>(state().criteria());
    for (Req r : dependencies(candidate)) {
      addToCriteria(criteria, r, Optional.of(candidate));
    }
    return criteria;
  }

  /**
   * What pinning {@code c} adds: its Requires-Python, the plain project for an extra, its
   * Requires-Dist.
   */
  private List<Req> dependencies(Cand c) throws Conflict {
    CoreMetadata meta = metadata.apply(c.wheel());
    List<Req> out = new ArrayList<>();
    if (c.extras().isEmpty()
        && meta.requiresPython().isPresent()
        && !candidates.pythonFits(meta.requiresPython().get())) {
      Req python =
          new Req(
              PYTHON,
              PYTHON,
              new TreeSet<>(),
              SpecifierSet.ANY,
              Optional.empty(),
              "Requires-Python " + meta.requiresPython().get());
      throw new Conflict(
          new Criterion(List.of(), List.of(new Info(python, Optional.of(c))), List.of()));
    }
    Set<String> valid = new TreeSet<>(c.extras());
    valid.retainAll(new HashSet<>(meta.providesExtra()));
    if (!c.extras().isEmpty()) {
      Cand base = new Cand(c.name(), c.name(), new TreeSet<>(), c.wheel());
      out.add(
          new Req(
              c.name(),
              c.name(),
              new TreeSet<>(),
              SpecifierSet.ANY,
              Optional.of(base),
              c.describe()));
    }
    for (String text : meta.requiresDist()) {
      Requirement r;
      try {
        r = Requirement.parse(text);
      } catch (IllegalArgumentException unreadable) {
        continue;
      }
      boolean wanted;
      if (r.marker().isEmpty()) {
        wanted = true;
      } else if (valid.isEmpty()) {
        wanted = r.appliesTo(environment.withExtra(""));
      } else {
        wanted = valid.stream().anyMatch(e -> r.appliesTo(environment.withExtra(e)));
      }
      if (wanted) {
        out.add(fromRequirement(r, text));
      }
    }
    return out;
  }

  /**
   * resolvelib's backtrack: undo the latest pin, mark it incompatible, and carry what was learnt.
   */
  private boolean backtrack() {
    while (states.size() >= 3) {
      states.remove(states.size() - 1);
      State broken = states.remove(states.size() - 1);
      Map.Entry<String, Cand> last = null;
      for (Map.Entry<String, Cand> e : broken.mapping().entrySet()) {
        last = e;
      }
      if (last == null) {
        return false;
      }
      String name = last.getKey();
      Cand candidate = last.getValue();
      broken.mapping().remove(name);
      List<Map.Entry<String, List<Cand>>> learnt = new ArrayList<>();
      broken
          .criteria()
          .forEach((k, v) -> learnt.add(Map.entry(k, new ArrayList<>(v.incompatibilities()))));
      learnt.add(Map.entry(name, new ArrayList<>(List.of(candidate))));
      pushNewState();
      if (patch(learnt)) {
        return true;
      }
    }
    return false;
  }

  private boolean patch(List<Map.Entry<String, List<Cand>>> learnt) {
    for (Map.Entry<String, List<Cand>> entry : learnt) {
      String k = entry.getKey();
      List<Cand> incompatibilities = new ArrayList<>(entry.getValue());
      if (incompatibilities.isEmpty()) {
        continue;
      }
      Criterion criterion = state().criteria().get(k);
      if (criterion == null) {
        continue;
      }
      Map<String, Criterion> criteria = state().criteria();
      List<Cand> matches =
          findMatches(
              k,
              key -> {
                Criterion c = criteria.get(key);
                List<Req> all = new ArrayList<>();
                if (c != null) {
                  c.information().forEach(i -> all.add(i.requirement()));
                }
                return all;
              },
              key -> {
                // What the criterion already excludes, and what was just learnt.
                List<Cand> excluded =
                    new ArrayList<>(
                        Optional.ofNullable(criteria.get(key))
                            .map(Criterion::incompatibilities)
                            .orElse(List.of()));
                if (key.equals(k)) {
                  excluded.addAll(incompatibilities);
                }
                return excluded;
              });
      if (matches.isEmpty()) {
        return false;
      }
      incompatibilities.addAll(criterion.incompatibilities());
      criteria.put(
          k, new Criterion(matches, new ArrayList<>(criterion.information()), incompatibilities));
    }
    return true;
  }

  /**
   * The pins that the user's requirements still reach through current pins (resolvelib's result).
   */
  static Map<String, Cand> connected(State state) {
    Set<String> connected = new HashSet<>();
    Map<Cand, String> keys = new HashMap<>();
    state.mapping().forEach((k, v) -> keys.put(v, k));
    for (String key : state.criteria().keySet()) {
      routeToRoot(state, key, keys, connected, new HashSet<>());
    }
    Map<String, Cand> out = new LinkedHashMap<>();
    state
        .mapping()
        .forEach(
            (k, v) -> {
              if (connected.contains(k)) {
                out.put(k, v);
              }
            });
    return out;
  }

  private static boolean routeToRoot(
      State state,
      String key,
      Map<Cand, String> keys,
      Set<String> connected,
      Set<String> visiting) {
    if (connected.contains(key)) {
      return true;
    }
    Criterion c = state.criteria().get(key);
    if (c == null || !visiting.add(key)) {
      return false;
    }
    for (Info i : c.information()) {
      if (i.parent().isEmpty()) {
        connected.add(key);
        return true;
      }
      String parentKey = keys.get(i.parent().get());
      if (parentKey == null) {
        continue;
      }
      if (connected.contains(parentKey)
          || routeToRoot(state, parentKey, keys, connected, visiting)) {
        connected.add(key);
        return true;
      }
    }
    return false;
  }
}
