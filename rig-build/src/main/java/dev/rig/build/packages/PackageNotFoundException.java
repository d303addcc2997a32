package dev.rig.build.packages;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A requested package that none of the image's repositories has. It carries what the facade needs
 * to report it as a spec mistake: the image, the name, where rig looked and what was close (looked
 * for when first asked for, the message included, since a caller may try another name instead).
 */
public final class PackageNotFoundException extends IOException {
  private final String image;
  private final String name;
  private final List<String> searched;
  private final Supplier<List<String>> closeNames;
  private List<String> found;

  public PackageNotFoundException(
      String image, String name, List<String> searched, List<String> closeNames) {
    this(image, name, searched, () -> closeNames);
  }

  public PackageNotFoundException(
      String image, String name, List<String> searched, Supplier<List<String>> closeNames) {
    super("image '" + image + "': no package named " + name + " in " + String.join("; ", searched));
    this.image = image;
    this.name = name;
    this.searched = List.copyOf(searched);
    this.closeNames = closeNames;
  }

  @Override
  public String getMessage() {
    List<String> close = closeNames();
    return super.getMessage()
        + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)");
  }

  public String image() {
    return image;
  }

  public String name() {
    return name;
  }

  /** The repositories searched, e.g. {@code debian trixie (main, non-free) at URI}. */
  public List<String> searched() {
    return searched;
  }

  public synchronized List<String> closeNames() {
    if (found == null) {
      found = List.copyOf(closeNames.get());
    }
    return found;
  }
}
