package dev.rig.apt.resolve;

import java.util.List;

/** A requested name that no index has, not even as a virtual package; with close names. */
public final class UnknownPackageException extends ResolutionException {
  private final String name;
  private final List<String> closeNames;

  public UnknownPackageException(String name, List<String> closeNames) {
    super(
        "unable to locate package "
            + name
            + (closeNames.isEmpty()
                ? ""
                : " (did you mean " + String.join(", ", closeNames) + "?)"));
    this.name = name;
    this.closeNames = List.copyOf(closeNames);
  }

  public String name() {
    return name;
  }

  public List<String> closeNames() {
    return closeNames;
  }
}
