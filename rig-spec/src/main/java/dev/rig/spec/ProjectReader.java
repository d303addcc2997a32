package dev.rig.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.pkl.core.PModule;
import org.pkl.core.PObject;

/**
 * Turns an evaluated spec module into the Java model: merges the extra maps, normalises ports and
 * resolves host paths. Pkl has already checked every value, so this only reshapes.
 */
final class ProjectReader {
  private ProjectReader() {}

  static Project read(Path file, PModule module) {
    Path specDir = file.getParent();
    Map<String, ImageSpec> images = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map(module.getProperty("images")).entrySet()) {
      String name = (String) entry.getKey();
      images.put(name, image(name, (PObject) entry.getValue(), specDir));
    }
    return new Project(file, images);
  }

  private static ImageSpec image(String name, PObject image, Path specDir) {
    Map<String, String> env = new LinkedHashMap<>(strings(image.getProperty("env")));
    env.putAll(strings(image.getProperty("extraEnv")));
    Map<String, String> labels = new TreeMap<>(strings(image.getProperty("labels")));
    labels.putAll(strings(image.getProperty("extraLabels")));
    LinkedHashSet<String> ports = new LinkedHashSet<>();
    for (String port : list(image.getProperty("exposedPorts"))) {
      ports.add(port.contains("/") ? port : port + "/tcp");
    }
    List<CopyToRoot> copies = new ArrayList<>();
    for (Object copy : (List<?>) image.getProperty("copyToRoot")) {
      copies.add(copyToRoot((PObject) copy, specDir));
    }
    Optional<BaseImageRef> from =
        Optional.ofNullable(nullableString(image.getProperty("from")))
            .map(ref -> baseImage(ref, specDir));
    return new ImageSpec(
        name,
        (String) image.getProperty("tag"),
        env,
        labels,
        List.copyOf(ports),
        (String) image.getProperty("user"),
        (String) image.getProperty("workingDir"),
        list(image.getProperty("entrypoint")),
        list(image.getProperty("cmd")),
        copies,
        ((Long) image.getProperty("maxLayers")).intValue(),
        list(image.getProperty("registries")),
        from,
        (String) image.getProperty("platform"),
        packages(image, specDir),
        runtime((PObject) image.getProperty("runtime"), specDir),
        cuda((PObject) image.getProperty("cuda"), specDir),
        home(image, specDir));
  }

  private static Optional<HomeSource> home(PObject image, Path specDir) {
    String dir = nullableString(image.getProperty("home"));
    if (dir != null) {
      return Optional.of(new HomeSource.Directory(HostPaths.resolve(specDir, dir)));
    }
    PObject git = (PObject) image.getProperty("homeGit");
    String url = nullableString(git.getProperty("url"));
    if (url != null) {
      // A relative local path is relative to the spec file, like every host path of a spec.
      boolean localPath = !url.contains("://") && !url.matches("[^/]+@[^/:]+:.*");
      String location =
          localPath && !url.startsWith("/") ? HostPaths.resolve(specDir, url).toString() : url;
      return Optional.of(
          new HomeSource.Git(
              url,
              (String) git.getProperty("ref"),
              Optional.ofNullable(nullableString(git.getProperty("directory"))),
              location));
    }
    return Optional.empty();
  }

  private static CudaSpec cuda(PObject cuda, Path specDir) {
    Object repository = cuda.getProperty("repository");
    return new CudaSpec(
        (Boolean) cuda.getProperty("enable"),
        (String) cuda.getProperty("version"),
        repository instanceof PObject repo
            ? Optional.of(repository(repo, specDir))
            : Optional.empty(),
        list(cuda.getProperty("packages")),
        list(cuda.getProperty("driverCapabilities")),
        (Boolean) cuda.getProperty("allowDriverPackages"));
  }

  private static AptRepositorySpec repository(PObject r, Path specDir) {
    String key = (String) r.getProperty("signedBy");
    return new AptRepositorySpec(
        (String) r.getProperty("uri"),
        list(r.getProperty("suites")),
        list(r.getProperty("components")),
        key.startsWith("-----BEGIN") ? key : HostPaths.resolve(specDir, key).toString());
  }

  private static RuntimeSpec runtime(PObject runtime, Path specDir) {
    PObject sshd = (PObject) runtime.getProperty("sshd");
    Map<String, RuntimeSpec.Service> services = new TreeMap<>();
    map(runtime.getProperty("services"))
        .forEach((name, value) -> services.put((String) name, service((PObject) value)));
    Map<String, RuntimeSpec.Secret> secrets = new TreeMap<>();
    map(runtime.getProperty("secrets"))
        .forEach(
            (name, value) -> {
              PObject secret = (PObject) value;
              secrets.put(
                  (String) name,
                  new RuntimeSpec.Secret(
                      HostPaths.resolve(specDir, (String) secret.getProperty("file")),
                      (String) secret.getProperty("mode"),
                      (String) secret.getProperty("owner")));
            });
    PObject tailscale = (PObject) runtime.getProperty("tailscale");
    return new RuntimeSpec(
        (Boolean) runtime.getProperty("enable"),
        (String) runtime.getProperty("javaPackage"),
        new RuntimeSpec.Sshd(
            (Boolean) sshd.getProperty("enable"),
            ((Long) sshd.getProperty("port")).intValue(),
            Optional.ofNullable(nullableString(sshd.getProperty("listenAddress")))),
        services,
        (String) runtime.getProperty("extraStartupScript"),
        secrets,
        list(runtime.getProperty("secretIdentities")),
        new RuntimeSpec.Tailscale(
            (Boolean) tailscale.getProperty("enable"),
            Optional.ofNullable(nullableString(tailscale.getProperty("authKeySecret"))),
            Optional.ofNullable(nullableString(tailscale.getProperty("hostname"))),
            list(tailscale.getProperty("extraArgs"))),
        ((Long) runtime.getProperty("shmMinimumMib")).intValue());
  }

  private static RuntimeSpec.Service service(PObject s) {
    Object readiness = s.getProperty("readiness");
    return new RuntimeSpec.Service(
        list(s.getProperty("command")),
        strings(s.getProperty("env")),
        Optional.ofNullable(nullableString(s.getProperty("workingDir"))),
        (String) s.getProperty("restart"),
        ((Long) s.getProperty("maxRestarts")).intValue(),
        ((Number) s.getProperty("restartDelay")).doubleValue(),
        (String) s.getProperty("stopSignal"),
        ((Number) s.getProperty("stopTimeout")).doubleValue(),
        list(s.getProperty("dependsOn")),
        readiness((PObject) readiness),
        strings(s.getProperty("configData")),
        (Boolean) s.getProperty("logFile"),
        (Boolean) s.getProperty("essential"));
  }

  /** Empty when no check is set: the service is ready once it runs. */
  private static Optional<RuntimeSpec.Readiness> readiness(PObject r) {
    Object tcp = r.getProperty("tcpPort");
    Object exec = r.getProperty("exec");
    RuntimeSpec.Readiness readiness =
        new RuntimeSpec.Readiness(
            tcp instanceof Long port ? Optional.of(port.intValue()) : Optional.empty(),
            Optional.ofNullable(nullableString(r.getProperty("httpUrl"))),
            exec instanceof List<?> ? Optional.of(list(exec)) : Optional.empty(),
            Optional.ofNullable(nullableString(r.getProperty("file"))),
            ((Number) r.getProperty("timeout")).doubleValue());
    boolean any =
        readiness.tcpPort().isPresent()
            || readiness.httpUrl().isPresent()
            || readiness.exec().isPresent()
            || readiness.file().isPresent();
    return any ? Optional.of(readiness) : Optional.empty();
  }

  private static PackagesSpec packages(PObject image, Path specDir) {
    List<AptRepositorySpec> repositories = new ArrayList<>();
    for (Object repo : (List<?>) image.getProperty("repositories")) {
      repositories.add(repository((PObject) repo, specDir));
    }
    PObject slim = (PObject) image.getProperty("slim");
    PObject environment = (PObject) image.getProperty("environment");
    return new PackagesSpec(
        list(image.getProperty("packages")),
        list(image.getProperty("distributions")),
        repositories,
        (Boolean) image.getProperty("installRecommends"),
        (Boolean) image.getProperty("includeApt"),
        new SlimSpec(
            (Boolean) slim.getProperty("docs"),
            (Boolean) slim.getProperty("manPages"),
            (Boolean) slim.getProperty("locales")),
        list(image.getProperty("systemPackages")),
        new EnvironmentSpec(
            (Boolean) environment.getProperty("core"),
            (Boolean) environment.getProperty("dev"),
            (Boolean) environment.getProperty("network"),
            (Boolean) environment.getProperty("shell")));
  }

  private static CopyToRoot copyToRoot(PObject copy, Path specDir) {
    String mode = nullableString(copy.getProperty("mode"));
    return new CopyToRoot(
        HostPaths.resolve(specDir, (String) copy.getProperty("source")),
        (String) copy.getProperty("target"),
        mode == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(mode, 8)),
        ((Long) copy.getProperty("uid")).intValue(),
        ((Long) copy.getProperty("gid")).intValue());
  }

  /** {@code oci:DIR[:REF]}, split at the first colon after DIR as skopeo does. */
  private static BaseImageRef baseImage(String ref, Path specDir) {
    if (!ref.startsWith("oci:")) {
      return new BaseImageRef.RegistryRef(ref);
    }
    String rest = ref.substring("oci:".length());
    int colon = rest.indexOf(':');
    String dir = colon < 0 ? rest : rest.substring(0, colon);
    String tag = colon < 0 ? "" : rest.substring(colon + 1);
    return new BaseImageRef.OciLayoutRef(HostPaths.resolve(specDir, dir), tag);
  }

  /** pkl-core gives Pkl's null as {@link org.pkl.core.PNull}, not as Java's null. */
  private static String nullableString(Object value) {
    return value instanceof String string ? string : null;
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  private static Map<String, String> strings(Object value) {
    Map<String, String> strings = new LinkedHashMap<>();
    map(value).forEach((key, item) -> strings.put((String) key, (String) item));
    return strings;
  }

  private static List<String> list(Object value) {
    return ((List<?>) value).stream().map(String.class::cast).toList();
  }
}
