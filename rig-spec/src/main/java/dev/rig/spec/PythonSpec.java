package dev.rig.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An image's Python virtual environment.
 *
 * @param enable whether the image gets the venv
 * @param interpreter the Debian package of the interpreter ({@code NAME} or {@code NAME=VERSION})
 * @param venv the venv's absolute path in the image
 * @param requirements requirement strings as written in the spec
 * @param requirementsFile a requirements.txt on the build host, absolute
 * @param pyproject a pyproject.toml whose {@code [project].dependencies} are requirements
 * @param lockFile a user's hashed requirements file, used without resolving
 * @param indexUrl the primary index; a user and password only as {@code ${VARIABLE}}s
 * @param extraIndexUrls more indexes, searched after the primary one
 * @param bytecode whether .pyc files are compiled at build time
 */
public record PythonSpec(
    boolean enable,
    String interpreter,
    String venv,
    List<String> requirements,
    Optional<Path> requirementsFile,
    Optional<Path> pyproject,
    Optional<Path> lockFile,
    String indexUrl,
    List<String> extraIndexUrls,
    boolean bytecode) {
  public PythonSpec {
    requirements = List.copyOf(requirements);
    extraIndexUrls = List.copyOf(extraIndexUrls);
  }

  /** No venv. */
  public static final PythonSpec NONE =
      new PythonSpec(
          false,
          "python3",
          "/opt/venv",
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          "https://pypi.org/simple",
          List.of(),
          true);

  /** Every index, the primary first. */
  public List<String> indexes() {
    List<String> all = new java.util.ArrayList<>();
    all.add(indexUrl);
    all.addAll(extraIndexUrls);
    return List.copyOf(all);
  }

  /**
   * The Debian packages the venv needs: the interpreter and python3-venv (which brings the pip
   * wheel rig installs into the venv, so {@code pip} works in a container).
   */
  public List<String> packages() {
    return enable ? List.of(interpreter, "python3-venv") : List.of();
  }
}
