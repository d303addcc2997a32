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

/**
 * Turns an evaluated spec ({@link SpecValues}, fresh from Pkl or from the {@link SpecCache}) into
 * the Java model: merges the extra maps, normalises ports and resolves host paths. Pkl has already
 * checked every value, so this only reshapes.
 */
final class ProjectReader {
  private ProjectReader() {}

  static Project read(Path file, SpecValues module) {
    Path specDir = file.getParent();
    Map<String, ImageSpec> images = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map(module.root().get("images")).entrySet()) {
      String name = (String) entry.getKey();
      images.put(name, image(name, object(entry.getValue()), specDir));
    }
    return new Project(file, images, signing(object(module.root().get("signing")), specDir));
  }

  private static SigningSpec signing(Obj signing, Path specDir) {
    return new SigningSpec(
        Optional.ofNullable(nullableString(signing.get("key")))
            .map(key -> HostPaths.resolve(specDir, key)),
        Optional.ofNullable(nullableString(signing.get("keyEnv"))),
        (String) signing.get("passphraseEnv"));
  }

  private static ImageSpec image(String name, Obj image, Path specDir) {
    Map<String, String> env = new LinkedHashMap<>(strings(image.get("env")));
    env.putAll(strings(image.get("extraEnv")));
    Map<String, String> labels = new TreeMap<>(strings(image.get("labels")));
    labels.putAll(strings(image.get("extraLabels")));
    LinkedHashSet<String> ports = new LinkedHashSet<>();
    for (String port : list(image.get("exposedPorts"))) {
      ports.add(port.contains("/") ? port : port + "/tcp");
    }
    List<CopyToRoot> copies = new ArrayList<>();
    for (Object copy : (List<?>) image.get("copyToRoot")) {
      copies.add(copyToRoot(object(copy), specDir));
    }
    Optional<BaseImageRef> from =
        Optional.ofNullable(nullableString(image.get("from"))).map(ref -> baseImage(ref, specDir));
    return new ImageSpec(
        name,
        (String) image.get("tag"),
        env,
        labels,
        List.copyOf(ports),
        (String) image.get("user"),
        (String) image.get("workingDir"),
        list(image.get("entrypoint")),
        list(image.get("cmd")),
        copies,
        ((Long) image.get("maxLayers")).intValue(),
        list(image.get("registries")),
        from,
        (String) image.get("platform"),
        packages(image, specDir),
        runtime(object(image.get("runtime")), specDir),
        cuda(object(image.get("cuda")), specDir),
        home(image, specDir),
        python(object(image.get("python")), specDir),
        vm(object(image.get("vm"))));
  }

  private static PythonSpec python(Obj python, Path specDir) {
    return new PythonSpec(
        (Boolean) python.get("enable"),
        (String) python.get("interpreter"),
        (String) python.get("venv"),
        list(python.get("requirements")),
        hostPath(python.get("requirementsFile"), specDir),
        hostPath(python.get("pyproject"), specDir),
        hostPath(python.get("lockFile"), specDir),
        (String) python.get("indexUrl"),
        list(python.get("extraIndexUrls")),
        (Boolean) python.get("bytecode"));
  }

  private static Optional<Path> hostPath(Object value, Path specDir) {
    return Optional.ofNullable(nullableString(value)).map(path -> HostPaths.resolve(specDir, path));
  }

  private static Optional<HomeSource> home(Obj image, Path specDir) {
    String dir = nullableString(image.get("home"));
    if (dir != null) {
      return Optional.of(new HomeSource.Directory(HostPaths.resolve(specDir, dir)));
    }
    Obj git = object(image.get("homeGit"));
    String url = nullableString(git.get("url"));
    if (url != null) {
      // A relative local path is relative to the spec file, like every host path of a spec.
      boolean localPath = !url.contains("://") && !url.matches("[^/]+@[^/:]+:.*");
      String location =
          localPath && !url.startsWith("/") ? HostPaths.resolve(specDir, url).toString() : url;
      return Optional.of(
          new HomeSource.Git(
              url,
              (String) git.get("ref"),
              Optional.ofNullable(nullableString(git.get("directory"))),
              location));
    }
    return Optional.empty();
  }

  private static VmSpec vm(Obj vm) {
    Obj gpu = object(vm.get("gpu"));
    Object diskSize = vm.get("diskSizeMiB");
    return new VmSpec(
        (String) vm.get("kernelPackage"),
        ((Long) vm.get("vcpus")).intValue(),
        ((Long) vm.get("memoryMiB")).intValue(),
        diskSize instanceof Long size ? Optional.of(size.intValue()) : Optional.empty(),
        ((Long) vm.get("freeSpaceMiB")).intValue(),
        list(vm.get("cmdline")),
        (Boolean) gpu.get("vfioBind"),
        (Boolean) gpu.get("nvidiaDriver"));
  }

  private static CudaSpec cuda(Obj cuda, Path specDir) {
    Object repository = cuda.get("repository");
    return new CudaSpec(
        (Boolean) cuda.get("enable"),
        (String) cuda.get("version"),
        repository instanceof Map<?, ?>
            ? Optional.of(repository(object(repository), specDir))
            : Optional.empty(),
        list(cuda.get("packages")),
        list(cuda.get("driverCapabilities")),
        (Boolean) cuda.get("allowDriverPackages"));
  }

  private static AptRepositorySpec repository(Obj r, Path specDir) {
    String key = (String) r.get("signedBy");
    return new AptRepositorySpec(
        (String) r.get("uri"),
        list(r.get("suites")),
        list(r.get("components")),
        key.startsWith("-----BEGIN") ? key : HostPaths.resolve(specDir, key).toString());
  }

  private static RuntimeSpec runtime(Obj runtime, Path specDir) {
    Obj sshd = object(runtime.get("sshd"));
    Map<String, RuntimeSpec.Service> services = new TreeMap<>();
    map(runtime.get("services"))
        .forEach((name, value) -> services.put((String) name, service(object(value))));
    Map<String, RuntimeSpec.Secret> secrets = new TreeMap<>();
    map(runtime.get("secrets"))
        .forEach(
            (name, value) -> {
              Obj secret = object(value);
              secrets.put(
                  (String) name,
                  new RuntimeSpec.Secret(
                      HostPaths.resolve(specDir, (String) secret.get("file")),
                      (String) secret.get("mode"),
                      (String) secret.get("owner")));
            });
    Obj tailscale = object(runtime.get("tailscale"));
    return new RuntimeSpec(
        (Boolean) runtime.get("enable"),
        (String) runtime.get("javaPackage"),
        new RuntimeSpec.Sshd(
            (Boolean) sshd.get("enable"),
            ((Long) sshd.get("port")).intValue(),
            Optional.ofNullable(nullableString(sshd.get("listenAddress")))),
        services,
        (String) runtime.get("extraStartupScript"),
        secrets,
        list(runtime.get("secretIdentities")),
        new RuntimeSpec.Tailscale(
            (Boolean) tailscale.get("enable"),
            Optional.ofNullable(nullableString(tailscale.get("authKeySecret"))),
            Optional.ofNullable(nullableString(tailscale.get("hostname"))),
            list(tailscale.get("extraArgs"))),
        ((Long) runtime.get("shmMinimumMib")).intValue(),
        ((Number) runtime.get("extraStartupScriptTimeout")).doubleValue());
  }

  private static RuntimeSpec.Service service(Obj s) {
    Object readiness = s.get("readiness");
    return new RuntimeSpec.Service(
        list(s.get("command")),
        strings(s.get("env")),
        Optional.ofNullable(nullableString(s.get("workingDir"))),
        (String) s.get("restart"),
        ((Long) s.get("maxRestarts")).intValue(),
        ((Number) s.get("restartDelay")).doubleValue(),
        (String) s.get("stopSignal"),
        ((Number) s.get("stopTimeout")).doubleValue(),
        list(s.get("dependsOn")),
        readiness(object(readiness)),
        strings(s.get("configData")),
        (Boolean) s.get("logFile"),
        (Boolean) s.get("essential"));
  }

  /** Empty when no check is set: the service is ready once it runs. */
  private static Optional<RuntimeSpec.Readiness> readiness(Obj r) {
    Object tcp = r.get("tcpPort");
    Object exec = r.get("exec");
    RuntimeSpec.Readiness readiness =
        new RuntimeSpec.Readiness(
            tcp instanceof Long port ? Optional.of(port.intValue()) : Optional.empty(),
            Optional.ofNullable(nullableString(r.get("httpUrl"))),
            exec instanceof List<?> ? Optional.of(list(exec)) : Optional.empty(),
            Optional.ofNullable(nullableString(r.get("file"))),
            ((Number) r.get("timeout")).doubleValue());
    boolean any =
        readiness.tcpPort().isPresent()
            || readiness.httpUrl().isPresent()
            || readiness.exec().isPresent()
            || readiness.file().isPresent();
    return any ? Optional.of(readiness) : Optional.empty();
  }

  private static PackagesSpec packages(Obj image, Path specDir) {
    List<AptRepositorySpec> repositories = new ArrayList<>();
    for (Object repo : (List<?>) image.get("repositories")) {
      repositories.add(repository(object(repo), specDir));
    }
    Obj slim = object(image.get("slim"));
    Obj environment = object(image.get("environment"));
    // The venv's interpreter is a package like any other: locked, installed, and pinnable in
    // `packages` (a pin there wins).
    List<String> requests = new ArrayList<>(list(image.get("packages")));
    Obj python = object(image.get("python"));
    if ((Boolean) python.get("enable")) {
      PackagesSpec.addIfAbsent(requests, (String) python.get("interpreter"));
      PackagesSpec.addIfAbsent(requests, "python3-venv");
    }
    return new PackagesSpec(
        requests,
        list(image.get("distributions")),
        repositories,
        (Boolean) image.get("installRecommends"),
        (Boolean) image.get("includeApt"),
        new SlimSpec(
            (Boolean) slim.get("docs"),
            (Boolean) slim.get("manPages"),
            (Boolean) slim.get("locales")),
        list(image.get("systemPackages")),
        new EnvironmentSpec(
            (Boolean) environment.get("core"),
            (Boolean) environment.get("dev"),
            (Boolean) environment.get("network"),
            (Boolean) environment.get("shell")));
  }

  private static CopyToRoot copyToRoot(Obj copy, Path specDir) {
    String mode = nullableString(copy.get("mode"));
    return new CopyToRoot(
        HostPaths.resolve(specDir, (String) copy.get("source")),
        (String) copy.get("target"),
        mode == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(mode, 8)),
        ((Long) copy.get("uid")).intValue(),
        ((Long) copy.get("gid")).intValue());
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

  /** A Pkl object: its properties by name. */
  private static Obj object(Object value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) value;
    return new Obj(properties);
  }

  /** Reads one object's properties; a missing one is a schema/reader mismatch, so it throws. */
  private record Obj(Map<String, Object> properties) {
    Object get(String name) {
      if (!properties.containsKey(name)) {
        throw new IllegalStateException("the evaluated spec has no property " + name);
      }
      return properties.get(name);
    }
  }

  /** Pkl's null is Java's null in {@link SpecValues}. */
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
