package dev.rig.build.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine rig loads images into and runs them with: podman or docker, found on PATH or
 * given as a path. Podman is preferred when both are installed: it needs no daemon.
 */
public record ContainerRuntime(Kind kind, Path executable) {
  public enum Kind {
    podman,
    docker
  }

  /**
   * @param choice "podman", "docker", a path to either, or null for whichever is installed
   */
  public static ContainerRuntime find(String choice, String pathVariable) {
    if (choice != null && choice.contains("/")) {
      Path path = Path.of(choice).toAbsolutePath();
      if (!Files.isExecutable(path)) {
        throw new IllegalArgumentException(
            "--runtime " + choice + ": not an executable file (give podman, docker or a path)");
      }
      String name = path.getFileName().toString();
      return new ContainerRuntime(name.contains("docker") ? Kind.docker : Kind.podman, path);
    }
    List<Kind> wanted = new ArrayList<>();
    if (choice == null) {
      wanted.add(Kind.podman);
      wanted.add(Kind.docker);
    } else {
      try {
        wanted.add(Kind.valueOf(choice));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--runtime " + choice + ": unknown runtime (give podman, docker or a path to either)");
      }
    }
    for (Kind kind : wanted) {
      Optional<Path> found = onPath(kind.name(), pathVariable);
      if (found.isPresent()) {
        return new ContainerRuntime(kind, found.get());
      }
    }
    throw new IllegalStateException(
        (choice == null ? "neither podman nor docker" : choice)
            + " is installed (not found on PATH); install podman (apt-get install podman) or"
            + " docker, or write the image to a file with `rig build --out"
            + " docker-archive:FILE` and load it elsewhere");
  }

  private static Optional<Path> onPath(String program, String pathVariable) {
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The name an image loaded as {@code NAME:TAG} gets in this engine. */
  public String loadedName(String reference) {
    return kind == Kind.podman && !reference.contains("/") ? "localhost/" + reference : reference;
  }

  /**
   * True when the engine stores images on this machine, so that it reaches a server rig runs on
   * 127.0.0.1: podman run locally. Not docker (its daemon may live in a VM or elsewhere, as with
   * Docker Desktop or DOCKER_HOST), nor a podman that talks to a service elsewhere (podman-remote,
   * CONTAINER_HOST, CONTAINER_CONNECTION, or any podman off Linux, which always runs in a VM).
   */
  public boolean sharesLoopback(Map<String, String> environment) {
    return kind == Kind.podman
        && System.getProperty("os.name", "").equals("Linux")
        && !executable.getFileName().toString().contains("remote")
        && environment.getOrDefault("CONTAINER_HOST", "").isEmpty()
        && environment.getOrDefault("CONTAINER_CONNECTION", "").isEmpty();
  }
}
