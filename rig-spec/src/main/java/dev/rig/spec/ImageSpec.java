package dev.rig.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One image of a spec, with every option resolved: defaults applied, {@code extraEnv} and {@code
 * extraLabels} merged, ports normalised and host paths made absolute.
 *
 * @param name the image name (a build target and the repository name in outputs)
 * @param tag the image tag
 * @param env the final environment: the {@code env} entries in order, then those only in {@code
 *     extraEnv}; a name in both has the {@code extraEnv} value
 * @param labels the final labels ({@code labels} merged with {@code extraLabels}), sorted by key
 * @param exposedPorts ports as {@code N/tcp} or {@code N/udp}, without duplicates, in spec order
 * @param user the user processes run as
 * @param workingDir the absolute working directory
 * @param entrypoint the entrypoint; empty means unset
 * @param cmd the command; empty means unset
 * @param copyToRoot host files and directories to copy into the image, in spec order
 * @param maxLayers the most layers the image may have, base layers included
 * @param registries repositories to push to (no tag)
 * @param from the base image, if any
 * @param platform {@code os/architecture}, e.g. {@code linux/amd64}
 * @param packages what the image installs from apt repositories
 * @param runtime rig-init's settings
 * @param cuda the CUDA options
 * @param home root's dotfiles: a build host directory or a git repository, copied into /root
 * @param python the image's Python venv ({@link PythonSpec#NONE} when it has none)
 */
public record ImageSpec(
    String name,
    String tag,
    Map<String, String> env,
    Map<String, String> labels,
    List<String> exposedPorts,
    String user,
    String workingDir,
    List<String> entrypoint,
    List<String> cmd,
    List<CopyToRoot> copyToRoot,
    int maxLayers,
    List<String> registries,
    Optional<BaseImageRef> from,
    String platform,
    PackagesSpec packages,
    RuntimeSpec runtime,
    CudaSpec cuda,
    Optional<HomeSource> home,
    PythonSpec python,
    VmSpec vm) {
  public ImageSpec {
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    exposedPorts = List.copyOf(exposedPorts);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    copyToRoot = List.copyOf(copyToRoot);
    registries = List.copyOf(registries);
  }

  /** Which of rig's parts (packages, runtime, CUDA, home) this image gets. */
  public ImageParts parts() {
    return ImageParts.of(this);
  }

  /**
   * This image with its home replaced (e.g. a git source by the directory it was checked out to).
   */
  public ImageSpec withHome(HomeSource newHome) {
    return new ImageSpec(
        name,
        tag,
        env,
        labels,
        exposedPorts,
        user,
        workingDir,
        entrypoint,
        cmd,
        copyToRoot,
        maxLayers,
        registries,
        from,
        platform,
        packages,
        runtime,
        cuda,
        Optional.of(newHome),
        python,
        vm);
  }
}
