package dev.rig.apt.resolve;

import java.util.List;
import java.util.function.Supplier;

/**
 * A requested name that no index has, not even as a virtual package; with close names. They are
 * looked for when first asked for (the message included): a caller that tries another name instead
 * (rig-init's Java asks for a JDK's jmods package, which older JDKs lack) does not pay for a search
 * of every name in the indexes.
 */
public final class UnknownPackageException extends ResolutionException {
  private final String name;
  private final Supplier<List<String>> closeNames;
  private List<String> found;

  public UnknownPackageException(String name, List<String> closeNames) {
    this(name, () -> closeNames);
  }

  public UnknownPackageException(String name, Supplier<List<String>> closeNames) {
    super("unable to locate package " + name);
    this.name = name;
    this.closeNames = closeNames;
  }

  public String name() {
    return name;
  }

  public synchronized List<String> closeNames() {
    if (found == null) {
      found = List.copyOf(closeNames.get());
    }
    return found;
  }

  @Override
  public String getMessage() {
    List<String> close = closeNames();
    return super.getMessage()
        + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)");
  }
}
