package dev.rig.build.packages;

import java.io.IOException;
import java.util.List;

/**
 * A requested package that none of the image's repositories has. It carries what the facade needs
 * to report it as a spec mistake: the image, the name, where rig looked and what was close.
 */
public final class PackageNotFoundException extends IOException {
  private final String image;
  private final String name;
  private final List<String> searched;
  private final List<String> closeNames;

  public PackageNotFoundException(
      String image, String name, List<String> searched, List<String> closeNames) {
    super(
        "image '"
            + image
            + "': no package named "
            + name
            + " in "
            + String.join("; ", searched)
            + (closeNames.isEmpty()
                ? ""
                : " (did you mean " + String.join(", ", closeNames) + "?)"));
    this.image = image;
    this.name = name;
    this.searched = List.copyOf(searched);
    this.closeNames = List.copyOf(closeNames);
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

  public List<String> closeNames() {
    return closeNames;
  }
}
