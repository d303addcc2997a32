package dev.rig.python.index;

import java.net.URI;
import java.util.List;

/** A project's page on one index: the files it lists, in the page's order. */
public record ProjectPage(PackageIndex index, String name, URI url, List<IndexFile> files) {
  public ProjectPage {
    files = List.copyOf(files);
  }
}
