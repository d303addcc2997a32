package dev.rig.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where root's dotfiles come from: a directory of the build host or a git repository. */
public sealed interface HomeSource {

  /** A directory on the build host (absolute). */
  record Directory(Path path) implements HomeSource {
    public Directory {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * A git repository; {@code ref} is a branch, tag, full commit id or {@code HEAD}, and {@code
   * directory} a relative directory inside the repository to use instead of its top.
   *
   * @param url the repository as the spec writes it (what rig.lock records)
   * @param location what git is given: {@code url}, or for a relative local path, that path made
   *     absolute against the spec file's directory
   */
  record Git(String url, String ref, Optional<String> directory, String location)
      implements HomeSource {
    public Git {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(directory, "directory");
    }
  }
}
