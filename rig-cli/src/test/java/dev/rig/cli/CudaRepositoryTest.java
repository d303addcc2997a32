package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.HermeticRepo.Deb;
import dev.rig.testkit.HermeticRepo.DebFile;
import dev.rig.testkit.Podman;
import dev.rig.testkit.SharedLibrary;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cuda.repository} end to end: a signed FLAT apt repository ({@code deb [signed-by=KEY] URI
 * /}, everything at its root), as NVIDIA's CUDA repository is, built here by dpkg-deb,
 * apt-ftparchive and gpg. Its packages have the names rig asks NVIDIA's repository for (CUDA 12.8
 * and 13.0) and lay their files out as NVIDIA's do: real tiny shared libraries under
 * /usr/local/cuda-X.Y/targets/x86_64-linux/lib with their soname links, an ld.so.conf.d entry, the
 * ldconfig trigger. rig resolves them (with Debian's libc-bin from the machine's mirror), dpkg
 * installs them, and podman runs the image: the toolkit's variables, /usr/local/cuda, the ld.so
 * cache, a program linked against libcudart, and the image's own apt reading the same repository. A
 * wrong key and a driver package are refused with messages that say why.
 */
class CudaRepositoryTest {
  private static final String TARGET_LIB = "targets/x86_64-linux/lib";

  @TempDir static Path shared;

  static HermeticRepo repo;
  static Path programs;

  /** One library package of NVIDIA's repository: its files are LIB.so.FULL and LIB.so.SOMAJOR. */
  private record CudaLib(String pkg, String version, String lib, String soMajor, String full) {}

  private static List<CudaLib> libraries(String cuda) {
    return switch (cuda) {
      case "12.8" ->
          List.of(
              new CudaLib("cuda-cudart-12-8", "12.8.57-1", "libcudart", "12", "12.8.57"),
              new CudaLib("libcublas-12-8", "12.8.3.14-1", "libcublas", "12", "12.8.3.14"),
              new CudaLib("libcufft-12-8", "11.3.3.41-1", "libcufft", "11", "11.3.3.41"),
              new CudaLib("libcurand-12-8", "10.3.9.55-1", "libcurand", "10", "10.3.9.55"),
              new CudaLib("libcusparse-12-8", "12.5.7.53-1", "libcusparse", "12", "12.5.7.53"),
              new CudaLib("cuda-nvrtc-12-8", "12.8.61-1", "libnvrtc", "12", "12.8.61"),
              new CudaLib("libnvjitlink-12-8", "12.8.61-1", "libnvJitLink", "12", "12.8.61"));
      case "13.0" ->
          List.of(
              new CudaLib("cuda-cudart-13-0", "13.0.48-1", "libcudart", "13", "13.0.48"),
              new CudaLib("libcublas-13-0", "13.0.0.19-1", "libcublas", "13", "13.0.0.19"),
              new CudaLib("libcufft-13-0", "12.0.0.15-1", "libcufft", "12", "12.0.0.15"),
              new CudaLib("libcurand-13-0", "10.4.0.35-1", "libcurand", "10", "10.4.0.35"),
              new CudaLib("libcusparse-13-0", "12.6.2.49-1", "libcusparse", "12", "12.6.2.49"),
              new CudaLib("cuda-nvrtc-13-0", "13.0.48-1", "libnvrtc", "13", "13.0.48"),
              new CudaLib("libnvjitlink-13-0", "13.0.39-1", "libnvJitLink", "13", "13.0.39"));
      default -> throw new IllegalArgumentException(cuda);
    };
  }

  /** The release's runtime version as cudaRuntimeGetVersion gives it: 12.8 is 12080. */
  private static int runtimeVersion(String cuda) {
    String[] parts = cuda.split("\\.");
    return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]) * 10;
  }

  @BeforeAll
  static void buildRepository() throws IOException {
    Tools.require("gcc", "gcc");
    Path src = Path.of("src/test/resources/cuda-repo").toAbsolutePath();
    Path libs = Files.createDirectories(shared.resolve("libs"));
    programs = Files.createDirectories(shared.resolve("programs"));
    List<Deb> debs = new ArrayList<>();
    for (String cuda : List.of("12.8", "13.0")) {
      String dashed = cuda.replace('.', '-');
      String major = cuda.substring(0, cuda.indexOf('.'));
      String libDir = "/usr/local/cuda-" + cuda + "/" + TARGET_LIB;
      for (CudaLib lib : libraries(cuda)) {
        String file = lib.lib() + ".so." + lib.full();
        String soname = lib.lib() + ".so." + lib.soMajor();
        Path built = libs.resolve(cuda).resolve(file);
        Files.createDirectories(built.getParent());
        List<String> flags = new ArrayList<>(List.of("-O2", "-DFAKE_LIBRARY=\"" + soname + "\""));
        if (lib.lib().equals("libcudart")) {
          flags.add("-DRUNTIME_VERSION=" + runtimeVersion(cuda));
        }
        SharedLibrary.build(
            src.resolve("fake-cuda-lib.c"), built, soname, flags.toArray(String[]::new));
        Deb deb =
            Deb.of(
                    lib.pkg(),
                    lib.version(),
                    "amd64",
                    "Depends",
                    lib.lib().equals("libcudart")
                        ? "cuda-toolkit-" + dashed + "-config-common"
                        : lib.lib().equals("libcusparse") ? "libnvjitlink-" + dashed : "",
                    "Section",
                    "multiverse/devel",
                    "Priority",
                    "optional")
                .with(
                    DebFile.file(libDir + "/" + file, Files.readAllBytes(built), 0644),
                    DebFile.symlink(libDir + "/" + soname, file))
                // As dh_makeshlibs writes for a package with shared libraries.
                .withControlFile("triggers", "activate-noawait ldconfig\n");
        debs.add(withoutEmptyFields(deb));
        if (lib.lib().equals("libcudart")) {
          Path program = programs.resolve("cudart-version-" + cuda);
          Exec.run(
                  List.of(
                      "gcc",
                      "-O2",
                      "-o",
                      program.toString(),
                      src.resolve("cudart-version.c").toString(),
                      built.toString()))
              .ok();
        }
      }
      // NVIDIA's cuda-toolkit-X-Y-config-common: where the release's libraries are.
      debs.add(
          Deb.of(
                  "cuda-toolkit-" + dashed + "-config-common",
                  libraries(cuda).get(0).version(),
                  "all")
              .with(DebFile.file("/etc/ld.so.conf.d/988_cuda-" + major + ".conf", libDir + "\n")));
    }
    Path nccl = libs.resolve("libnccl.so.2.25.1");
    Exec.run(
            List.of(
                "gcc",
                "-shared",
                "-fPIC",
                "-Wl,-soname,libnccl.so.2",
                "-DFAKE_LIBRARY=\"libnccl.so.2\"",
                "-o",
                nccl.toString(),
                src.resolve("fake-cuda-lib.c").toString()))
        .ok();
    debs.add(
        Deb.of("libnccl2", "2.25.1-1+cuda12.8", "amd64", "Section", "libs")
            .with(
                DebFile.file(
                    "/usr/lib/x86_64-linux-gnu/libnccl.so.2.25.1", Files.readAllBytes(nccl), 0644),
                DebFile.symlink("/usr/lib/x86_64-linux-gnu/libnccl.so.2", "libnccl.so.2.25.1"))
            .withControlFile("triggers", "activate-noawait ldconfig\n"));
    // A driver package, which rig refuses unless cuda.allowDriverPackages.
    debs.add(
        Deb.of("libcuda1", "570.124.06-1", "amd64", "Section", "non-free/libs")
            .with(
                DebFile.file(
                    "/usr/lib/x86_64-linux-gnu/libcuda.so.570.124.06",
                    "not a driver\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    0644)));
    repo = HermeticRepo.buildFlat(shared.resolve("flat"), debs);
  }

  private static Deb withoutEmptyFields(Deb deb) {
    Map<String, String> fields = new java.util.LinkedHashMap<>(deb.fields());
    fields.values().removeIf(String::isEmpty);
    return new Deb(deb.name(), deb.version(), deb.arch(), fields, deb.files(), deb.controlFiles());
  }

  /** A spec with one image that installs libc-bin and CUDA from the flat repository. */
  private static Path spec(
      Path dir, String name, String cuda, Path key, String more, String cudaMore)
      throws IOException {
    Path file = dir.resolve("rig.yaml");
    Files.writeString(
        file,
        "images:\n"
            + "  "
            + name
            + ":\n"
            + "    packages: [libc-bin]\n"
            // Only what the test names: no tool sets, no rig-init (Java, sshd).
            + "    environment: { core: false, dev: false, network: false, shell: false }\n"
            + "    runtime: { enable: false }\n"
            + more
            + "    cuda:\n"
            + "      version: \""
            + cuda
            + "\"\n"
            + "      repository:\n"
            + "        uri: \""
            + repo.uri()
            + "\"\n"
            + "        suites: [\"/\"]\n"
            + "        signedBy: \""
            + key
            + "\"\n"
            + cudaMore);
    return file;
  }

  private static String newName() {
    return "cuda-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void cuda128FromAFlatRepositoryRunsInPodman(@TempDir Path dir) throws Exception {
    String out = buildAndInspect(dir, "12.8", "570.26");
    // The image's apt reads the same flat repository, trusting only the key rig stored with it.
    assertTrue(out.contains("apt-update-ok"), out);
    assertTrue(out.contains("Inst libcuda1 (570.124.06-1"), out);
    assertTrue(out.contains("Installed: 12.8.3.14-1"), out);
  }

  @Test
  void cuda130FromTheSameRepository(@TempDir Path dir) throws Exception {
    buildAndInspect(dir, "13.0", "580.65.06");
  }

  /**
   * Builds the release's image, runs it, checks what every CUDA image needs; returns the output.
   */
  private String buildAndInspect(Path dir, String cuda, String minimumDriver) throws Exception {
    String name = newName();
    Path specFile = spec(dir, name, cuda, repo.keyring(), "", "");
    Path archive = dir.resolve("image.tar");
    RigRun first =
        RigRun.withCache(
                RigRun.sharedCache(),
                List.of("build", "-f", specFile.toString(), "--out", "docker-archive:" + archive))
            .ok();
    String lock = Files.readString(dir.resolve("rig.lock"));
    // Built again from rig.lock (packages located by the origin it records): the same image.
    RigRun again =
        RigRun.withCache(
                RigRun.sharedCache(),
                List.of("build", "-f", specFile.toString(), "--out", "oci:" + dir.resolve("oci")))
            .ok();
    assertEquals(digest(first), digest(again), first.describe() + again.describe());
    assertEquals(lock, Files.readString(dir.resolve("rig.lock")));
    for (CudaLib lib : libraries(cuda)) {
      assertTrue(lock.contains(lib.pkg()), "rig.lock lists " + lib.pkg() + ":\n" + lock);
    }
    assertTrue(lock.contains("libnccl2"), lock);
    assertTrue(lock.contains("cuda-toolkit-" + cuda.replace('.', '-') + "-config-common"), lock);

    String major = cuda.substring(0, cuda.indexOf('.'));
    String libDir = "/usr/local/cuda-" + cuda + "/" + TARGET_LIB;
    String root = repo.root().toString();
    Podman podman = Podman.create(dir.resolve("podman"));
    String ref = "localhost/" + name + ":latest";
    try {
      Exec.Result load = podman.run("load", "-i", archive.toString());
      if (load.exitCode() != 0 && load.stderr().contains("layer not known")) {
        // containers/storage shares layers between images: another test's rmi of an image
        // with the same Debian layers, while this load reuses them, loses the race once.
        load = podman.run("load", "-i", archive.toString());
      }
      load.ok();
      String script =
          String.join(
              "\n",
              "env | sed 's/^/env: /'",
              "echo \"cuda-link: $(readlink -f /usr/local/cuda)\"",
              "sed 's/^/ld.so.conf: /' /etc/ld.so.conf",
              "sed 's/^/conf.d: /' /etc/ld.so.conf.d/988_cuda-" + major + ".conf",
              "ldconfig -p | sed 's/^[[:space:]]*/cache: /'",
              "/opt/rig-test/cudart-version-" + cuda,
              "dpkg-query -W -f '${Package} ${Status}\\n' cuda-cudart-"
                  + cuda.replace('.', '-')
                  + " libnccl2 | sed 's/^/dpkg: /'",
              // The image's apt with only rig's stanza for the CUDA repository (no mirror needed).
              "mkdir -p /tmp/cuda-sources",
              "{ echo 'Types: deb'; sed -n '/^URIs: file:/,/^$/p'"
                  + " /etc/apt/sources.list.d/rig.sources; } > /tmp/cuda-sources/cuda.sources",
              "sed 's/^/sources: /' /tmp/cuda-sources/cuda.sources",
              "APT='-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/tmp/cuda-sources'",
              "if apt-get $APT update >/tmp/apt.log 2>&1; then echo apt-update-ok; fi",
              "sed 's/^/apt: /' /tmp/apt.log",
              "apt-get $APT install --simulate -qq libcuda1 2>&1",
              "apt-cache $APT policy libcublas-" + cuda.replace('.', '-') + " 2>&1");
      Exec.Result run =
          podman.run(
              Duration.ofMinutes(5),
              "run",
              "--rm",
              "-v",
              programs + ":/opt/rig-test:ro",
              "-v",
              root + ":" + root + ":ro",
              "--entrypoint",
              "/bin/sh",
              ref,
              "-c",
              script);
      String out = run.ok().stdout();
      List<String> lines = out.lines().toList();
      // What the NVIDIA container toolkit and CUDA programs read.
      assertTrue(lines.contains("env: CUDA_VERSION=" + cuda), out);
      assertTrue(
          lines.contains("env: NVIDIA_REQUIRE_CUDA=cuda>=" + cuda + ",driver>=" + minimumDriver),
          out);
      assertTrue(lines.contains("env: NVIDIA_DRIVER_CAPABILITIES=compute,utility"), out);
      assertTrue(lines.contains("env: NVIDIA_VISIBLE_DEVICES=all"), out);
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.startsWith("env: LD_LIBRARY_PATH=")
                          && l.contains("/usr/local/nvidia/lib64")),
          out);
      // /usr/local/cuda is the release NVIDIA's packages installed.
      assertTrue(lines.contains("cuda-link: /usr/local/cuda-" + cuda), out);
      assertTrue(lines.contains("ld.so.conf: include /etc/ld.so.conf.d/*.conf"), out);
      assertTrue(lines.contains("conf.d: " + libDir), out);
      // The ld.so cache that dpkg's ldconfig trigger wrote at build time has every library.
      for (CudaLib lib : libraries(cuda)) {
        String soname = lib.lib() + ".so." + lib.soMajor();
        assertTrue(
            lines.stream()
                .anyMatch(
                    l ->
                        l.startsWith("cache: " + soname + " ")
                            && l.endsWith("=> " + libDir + "/" + soname)),
            soname + " in the ld.so cache:\n" + out);
      }
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.startsWith("cache: libnccl.so.2 ")
                          && l.endsWith("lib/x86_64-linux-gnu/libnccl.so.2")),
          out);
      // A program linked against libcudart.so.MAJOR finds it without LD_LIBRARY_PATH's help.
      assertTrue(lines.contains("cudart " + runtimeVersion(cuda)), out);
      assertTrue(
          lines.contains("dpkg: cuda-cudart-" + cuda.replace('.', '-') + " install ok installed"),
          out);
      assertTrue(lines.contains("dpkg: libnccl2 install ok installed"), out);
      return out;
    } finally {
      podman.run("rmi", "-f", ref);
    }
  }

  private static String digest(RigRun run) {
    return java.util.Arrays.stream(run.stdout().strip().split("\\s+"))
        .filter(w -> w.startsWith("sha256:"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no digest in\n" + run.describe()));
  }

  @Test
  void aWrongKeyIsRefusedNamingTheKeys(@TempDir Path dir) throws Exception {
    Path specFile = spec(dir, newName(), "12.8", repo.wrongKeyring(), "", "");
    RigRun run = RigRun.withCache(RigRun.sharedCache(), List.of("lock", "-f", specFile.toString()));
    assertNotEquals(0, run.exitCode(), run.describe());
    String all = run.stdout() + run.stderr();
    assertTrue(all.contains("InRelease"), run.describe());
    assertTrue(all.contains(HermeticRepo.keyId(repo.keyring())), run.describe());
    assertTrue(all.contains(repo.wrongKeyring().toString()), run.describe());
    assertTrue(all.contains(HermeticRepo.keyId(repo.wrongKeyring())), run.describe());
  }

  @Test
  void aDriverPackageIsRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
    String name = newName();
    Path refused = spec(dir, name, "12.8", repo.keyring(), "    systemPackages: [libcuda1]\n", "");
    RigRun run = RigRun.withCache(RigRun.sharedCache(), List.of("lock", "-f", refused.toString()));
    assertNotEquals(0, run.exitCode(), run.describe());
    String all = run.stdout() + run.stderr();
    assertTrue(
        all.contains("image '" + name + "': libcuda1 carries NVIDIA driver libraries"),
        run.describe());
    assertTrue(all.contains("cuda.allowDriverPackages = true"), run.describe());

    Path allowed =
        spec(
            dir,
            name,
            "12.8",
            repo.keyring(),
            "    systemPackages: [libcuda1]\n",
            "      allowDriverPackages: true\n");
    RigRun.withCache(RigRun.sharedCache(), List.of("lock", "-f", allowed.toString())).ok();
    String lock = Files.readString(dir.resolve("rig.lock"));
    assertTrue(lock.contains("libcuda1"), lock);
    assertTrue(lock.contains("cuda-cudart-12-8"), lock);
  }

  @Test
  void theRepositoryIsFlatAsNvidiasIs() throws IOException {
    // deb [signed-by=KEY] URI / : indexes and .debs at the root, no dists/, no components.
    assertTrue(Files.isRegularFile(repo.root().resolve("InRelease")));
    assertTrue(Files.isRegularFile(repo.root().resolve("Packages.xz")));
    assertTrue(Files.notExists(repo.root().resolve("dists")));
    String packages = Files.readString(repo.packagesFile());
    assertTrue(packages.contains("Filename: ./cuda-cudart-12-8_12.8.57-1_amd64.deb"), packages);
    String release = Files.readString(repo.root().resolve("Release"));
    assertEquals(false, release.contains("Components:"), release);
  }
}
