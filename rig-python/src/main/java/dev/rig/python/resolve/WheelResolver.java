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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns requirement strings into one wheel per project for a {@link PythonTarget}: markers
 * evaluated for the target, only wheels whose tags and Requires-Python fit, newest version first,
 * yanked files and pre-releases avoided as pip avoids them, extras followed, and a search that
 * backtracks when a choice leads to a clash ({@link PipOrderSearch}: pip's own order of pins and
 * backtracks, so that where several answers exist rig lands on the one pip gives). The answer lists
 * every wheel with its URL, size and SHA-256 (from the index page, else measured by downloading it)
 * and what pulled it in.
 */
public final class WheelResolver {
  /** More rounds than any real set of requirements needs; beyond it rig gives up. */
  static final int MAX_ROUNDS = 200_000;

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
    MarkerEnvironment environment = target.markerEnvironment();
    List<Requirement> roots = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < requirements.size(); i++) {
      String text = requirements.get(i);
      Requirement requirement;
      try {
        requirement = Requirement.parse(text);
      } catch (MarkerSyntaxException | InvalidVersionException e) {
        throw new ResolutionException(
            "requirement '" + text.strip() + "': " + e.getMessage(), List.of());
      }
      if (requirement.appliesTo(environment.withExtra(""))) {
        roots.add(requirement);
        positions.add(i);
        texts.add(text.strip());
      }
    }
    Candidates candidates = new Candidates(client, target);
    Map<String, CoreMetadata> read = new HashMap<>();
    PipOrderSearch search =
        new PipOrderSearch(
            candidates, indexes, environment, wheel -> metadata(read, wheel), MAX_ROUNDS);
    PipOrderSearch.Outcome outcome;
    try {
      outcome = search.run(roots, positions, texts);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (outcome.tooDeep()) {
      throw new ResolutionException(
          "gave up after "
              + MAX_ROUNDS
              + " rounds without finding a set of wheels that fits; pin some of the projects"
              + " involved and run again",
          List.of());
    }
    if (outcome.solved().isEmpty()) {
      throw failure(outcome.causes(), search, candidates);
    }
    PipOrderSearch.State solved = outcome.solved().get();
    Map<String, PipOrderSearch.Cand> pins = PipOrderSearch.connected(solved);
    List<LockedWheel> wheels = new ArrayList<>();
    for (PipOrderSearch.Cand pin : pins.values()) {
      if (!pin.extras().isEmpty()) {
        continue;
      }
      FileFacts facts = client.facts(pin.wheel().index(), pin.wheel().file());
      wheels.add(
          new LockedWheel(
              pin.name(),
              metadata(read, pin.wheel()).version(),
              pin.wheel().file().filename(),
              pin.wheel().file().url(),
              facts.size(),
              facts.sha256(),
              requiredBy(solved, pins, pin.name())));
    }
    return new Resolution(wheels);
  }

  private CoreMetadata metadata(Map<String, CoreMetadata> read, Candidates.Wheel wheel) {
    String key = wheel.file().url().toString();
    CoreMetadata known = read.get(key);
    if (known != null) {
      return known;
    }
    try {
      CoreMetadata parsed =
          CoreMetadata.parse(
              client.metadata(wheel.index(), wheel.file()), wheel.file().filename() + " METADATA");
      read.put(key, parsed);
      return parsed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The user's requirements and the chosen parents that asked for {@code name}. */
  private static List<String> requiredBy(
      PipOrderSearch.State solved, Map<String, PipOrderSearch.Cand> pins, String name) {
    TreeSet<String> by = new TreeSet<>();
    solved
        .criteria()
        .forEach(
            (id, criterion) -> {
              if (!id.equals(name) && !id.startsWith(name + "[")) {
                return;
              }
              for (PipOrderSearch.Info info : criterion.information()) {
                if (info.parent().isEmpty()) {
                  by.add(info.requirement().text());
                } else if (pins.containsValue(info.parent().get())
                    && !info.parent().get().name().equals(name)) {
                  by.add(info.parent().get().describe());
                }
              }
            });
    return List.copyOf(by);
  }

  /**
   * The error for a failed search: a project no wheel of which fits (named with what it has
   * instead), else the project whose requirements clash, with every clash seen on it.
   */
  private static ResolutionException failure(
      List<PipOrderSearch.Info> causes, PipOrderSearch search, Candidates candidates) {
    String focus =
        causes.stream()
            .map(PipOrderSearch.Info::requirement)
            .filter(r -> candidates.whyNone(r.name()).isPresent())
            .map(PipOrderSearch.Req::identifier)
            .findFirst()
            .orElse(causes.isEmpty() ? "" : causes.get(0).requirement().identifier());
    String name =
        causes.stream()
            .map(PipOrderSearch.Info::requirement)
            .filter(r -> r.identifier().equals(focus))
            .map(PipOrderSearch.Req::name)
            .findFirst()
            .orElse(focus);
    Optional<String> none = candidates.whyNone(name);
    List<String> chain = search.clashesOn(focus);
    StringBuilder s = new StringBuilder("cannot resolve the Python requirements: ");
    if (focus.startsWith("<")) {
      s.append("no version that fits the other requirements supports Python ")
          .append(candidates.pythonVersion());
    } else if (none.isPresent()) {
      s.append(none.get());
    } else {
      s.append("no version of '")
          .append(focus)
          .append("' satisfies all of its requirements together");
    }
    if (!chain.isEmpty()) {
      boolean clash = none.isEmpty();
      s.append(
          clash
              ? "\n  the requirements on '" + focus + "' that clash:"
              : "\n  '" + focus + "' is required by:");
      chain.stream().limit(12).forEach(line -> s.append("\n    ").append(line));
      if (chain.size() > 12) {
        s.append("\n    ... and ").append(chain.size() - 12).append(" more");
      }
      if (clash) {
        s.append(
            "\n  loosen one of these, or pin the projects that bring them in to versions that"
                + " agree");
      }
    }
    return new ResolutionException(s.toString(), chain);
  }
}
