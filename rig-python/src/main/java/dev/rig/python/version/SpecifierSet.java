package dev.rig.python.version;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A comma-separated list of {@link Specifier}s that must all hold, and PEP 440's pre-release rule:
 * pre-releases are candidates only when a clause names one, or, for an empty set, when nothing else
 * is available (as pip's packaging library decides).
 */
public record SpecifierSet(List<Specifier> specifiers) {
  public static final SpecifierSet ANY = new SpecifierSet(List.of());

  public SpecifierSet {
    specifiers = List.copyOf(specifiers);
  }

  /** Parses {@code >=1.0, <2} (an empty or blank text is {@link #ANY}). */
  public static SpecifierSet parse(String text) {
    if (text.isBlank()) {
      return ANY;
    }
    List<Specifier> parts = new ArrayList<>();
    for (String clause : text.split(",", -1)) {
      parts.add(Specifier.parse(clause));
    }
    return new SpecifierSet(parts);
  }

  public boolean isEmpty() {
    return specifiers.isEmpty();
  }

  /** This set and {@code other} together. */
  public SpecifierSet and(SpecifierSet other) {
    return new SpecifierSet(Stream.concat(specifiers.stream(), other.specifiers.stream()).toList());
  }

  /** Whether a clause lets pre-releases in. */
  public boolean admitsPreReleases() {
    return specifiers.stream().anyMatch(Specifier::admitsPreReleases);
  }

  /** Whether every clause holds for {@code v}, pre-release rules left to {@link #filter}. */
  public boolean matchesIgnoringPreReleases(Version v) {
    return specifiers.stream().allMatch(s -> s.matches(v));
  }

  /**
   * Whether {@code v} satisfies the set with the pre-release rule for a single candidate: a
   * pre-release only when a clause names one (or {@code allowPre}). Requires-Python and markers use
   * this form.
   */
  public boolean contains(Version v, boolean allowPre) {
    if (v.isPreRelease() && !allowPre && !admitsPreReleases()) {
      return false;
    }
    return matchesIgnoringPreReleases(v);
  }

  /**
   * The candidates that satisfy the set, in the given order: pre-releases only when a clause names
   * one; for an empty set, pre-releases only when there is nothing else.
   */
  public List<Version> filter(List<Version> candidates) {
    boolean pre = admitsPreReleases();
    if (!specifiers.isEmpty()) {
      return candidates.stream()
          .filter(v -> pre || !v.isPreRelease())
          .filter(this::matchesIgnoringPreReleases)
          .toList();
    }
    List<Version> finals = candidates.stream().filter(v -> !v.isPreRelease()).toList();
    return finals.isEmpty() ? List.copyOf(candidates) : finals;
  }

  /** The set as written, clauses joined by commas ({@code >=1.0,<2}). */
  @Override
  public String toString() {
    return specifiers.stream().map(Specifier::toString).collect(Collectors.joining(","));
  }
}
