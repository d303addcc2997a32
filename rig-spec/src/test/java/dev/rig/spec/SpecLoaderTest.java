package dev.rig.spec;

import static dev.rig.spec.SpecFiles.AMENDS;
import static dev.rig.spec.SpecFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  @TempDir Path dir;

  private static final String FULL_PKL =
      AMENDS
          + """

          images {
            ["app"] {
              tag = "1.0"
              extraEnv {
                ["MODEL_DIR"] = "/workspace/models"
                ["LANG"] = "en_US.UTF-8"
              }
              extraLabels { ["org.opencontainers.image.title"] = "app" }
              exposedPorts { "8080"; "53/udp" }
              user = "1000:1000"
              workingDir = "/workspace"
              entrypoint { "/bin/busybox" }
              cmd { "sh"; "-c"; "echo hi" }
              copyToRoot {
                new { source = "files/busybox"; target = "/bin/busybox"; mode = "0755" }
                new { source = "files/app"; target = "/opt/app"; uid = 1000; gid = 1000 }
              }
              maxLayers = 20
              registries { "ghcr.io/org/app"; "localhost:5000/app" }
              from = "oci:base:stable"
            }
            ["tiny"] {}
          }
          """;

  // YAML lists replace the default: the 22/tcp that Pkl's amending keeps is written out here.
  private static final String FULL_YAML =
      """
      images:
        app:
          tag: "1.0"
          extraEnv:
            MODEL_DIR: /workspace/models
            LANG: en_US.UTF-8
          extraLabels: { org.opencontainers.image.title: app }
          exposedPorts: ["22/tcp", "8080", "53/udp"]
          user: "1000:1000"
          workingDir: /workspace
          entrypoint: [/bin/busybox]
          cmd: [sh, -c, echo hi]
          copyToRoot:
            - { source: files/busybox, target: /bin/busybox, mode: "0755" }
            - source: files/app
              target: /opt/app
              uid: 1000
              gid: 1000
          maxLayers: 20
          registries:
            - ghcr.io/org/app
            - localhost:5000/app
          from: oci:base:stable
        tiny: {}
      """;

  private static final String FULL_JSON =
      """
      {
        "images": {
          "app": {
            "tag": "1.0",
            "extraEnv": { "MODEL_DIR": "/workspace/models", "LANG": "en_US.UTF-8" },
            "extraLabels": { "org.opencontainers.image.title": "app" },
            "exposedPorts": ["22/tcp", "8080", "53/udp"],
            "user": "1000:1000",
            "workingDir": "/workspace",
            "entrypoint": ["/bin/busybox"],
            "cmd": ["sh", "-c", "echo hi"],
            "copyToRoot": [
              { "source": "files/busybox", "target": "/bin/busybox", "mode": "0755" },
              { "source": "files/app", "target": "/opt/app", "uid": 1000, "gid": 1000 }
            ],
            "maxLayers": 20,
            "registries": ["ghcr.io/org/app", "localhost:5000/app"],
            "from": "oci:base:stable"
          },
          "tiny": {}
        }
      }
      """;

  private void fullSpecFiles() {
    write(dir, "files/busybox", "binary");
    write(dir, "files/app/run.sh", "echo hi");
    SpecFiles.layout(dir.resolve("base"));
  }

  @Test
  void fullSpecGivesTheExpectedModel() throws Exception {
    fullSpecFiles();
    Project project = SpecLoader.load(write(dir, "rig.pkl", FULL_PKL));

    assertEquals(dir.resolve("rig.pkl"), project.file());
    assertEquals(List.of("app", "tiny"), List.copyOf(project.images().keySet()));
    ImageSpec app = project.images().get("app");
    assertEquals("app", app.name());
    assertEquals("1.0", app.tag());
    assertEquals(
        List.of("PATH", "LANG", "HOME", "TERM", "SSL_CERT_FILE", "USER", "MODEL_DIR"),
        List.copyOf(app.env().keySet()));
    assertEquals("en_US.UTF-8", app.env().get("LANG"));
    assertEquals("/workspace/models", app.env().get("MODEL_DIR"));
    assertEquals(
        Map.of(
            "com.nvidia.volumes.needed", "nvidia_driver", "org.opencontainers.image.title", "app"),
        app.labels());
    assertEquals(List.of("22/tcp", "8080/tcp", "53/udp"), app.exposedPorts());
    assertEquals("1000:1000", app.user());
    assertEquals("/workspace", app.workingDir());
    assertEquals(List.of("/bin/busybox"), app.entrypoint());
    assertEquals(List.of("sh", "-c", "echo hi"), app.cmd());
    assertEquals(
        List.of(
            new CopyToRoot(
                dir.resolve("files/busybox"), "/bin/busybox", OptionalInt.of(0755), 0, 0),
            new CopyToRoot(dir.resolve("files/app"), "/opt/app", OptionalInt.empty(), 1000, 1000)),
        app.copyToRoot());
    assertEquals(20, app.maxLayers());
    assertEquals(List.of("ghcr.io/org/app", "localhost:5000/app"), app.registries());
    assertEquals(
        Optional.of(new BaseImageRef.OciLayoutRef(dir.resolve("base"), "stable")), app.from());
  }

  @Test
  void fullSpecLoadsToEqualModelsFromPklYamlAndJson() throws Exception {
    fullSpecFiles();
    Project pkl = SpecLoader.load(write(dir, "rig.pkl", FULL_PKL));
    Project yaml = SpecLoader.load(write(dir, "rig.yaml", FULL_YAML));
    Project yml = SpecLoader.load(write(dir, "rig.yml", FULL_YAML));
    Project json = SpecLoader.load(write(dir, "rig.json", FULL_JSON));

    assertEquals(pkl.images(), yaml.images());
    assertEquals(pkl.images(), yml.images());
    assertEquals(pkl.images(), json.images());
    assertEquals(dir.resolve("rig.yaml"), yaml.file());
  }

  @Test
  void aRegistryBaseImageIsKeptAsWritten() throws Exception {
    String ref = "127.0.0.1:5000/base/os:1.0@sha256:" + "ab".repeat(32);
    Project project =
        SpecLoader.load(
            write(dir, "rig.pkl", AMENDS + "images { [\"x\"] { from = \"" + ref + "\" } }\n"));
    assertEquals(Optional.of(new BaseImageRef.RegistryRef(ref)), project.images().get("x").from());
  }

  @Test
  void packagesAndRepositoriesAreReadFromPklAndYaml() throws Exception {
    Path key = write(dir, "cuda.gpg", "not checked here");
    String pkl =
        AMENDS
            + "images { [\"x\"] {\n"
            + "  packages { \"python3\"; \"openssh-server=1:10.0p1-7\" }\n"
            + "  repositories { new { uri = \"https://example.invalid/cuda\"; suites { \"/\" };"
            + " components = new Listing {}; signedBy = \"cuda.gpg\" } }\n"
            + "  slim { docs = true }\n"
            + "} }\n";
    PackagesSpec fromPkl = SpecLoader.load(write(dir, "rig.pkl", pkl)).images().get("x").packages();
    assertEquals(List.of("python3", "openssh-server=1:10.0p1-7"), fromPkl.requests());
    assertEquals(List.of("debian:trixie"), fromPkl.distributions());
    assertEquals(
        List.of(
            new AptRepositorySpec(
                "https://example.invalid/cuda", List.of("/"), List.of(), key.toString())),
        fromPkl.repositories());
    assertEquals(new SlimSpec(true, false, false), fromPkl.slim());
    assertFalse(fromPkl.installRecommends());

    String yaml =
        "images:\n  x:\n    packages: [python3, \"openssh-server=1:10.0p1-7\"]\n"
            + "    repositories:\n      - uri: https://example.invalid/cuda\n"
            + "        suites: [\"/\"]\n        components: []\n        signedBy: cuda.gpg\n"
            + "    slim: { docs: true }\n";
    assertEquals(
        fromPkl, SpecLoader.load(write(dir, "rig.yaml", yaml)).images().get("x").packages());
  }

  @Test
  void aServiceModuleWithItsOwnTypedOptionsIsImportedAndAmended() throws Exception {
    // examples/services: comfyui.pkl is a module with port, listen, dataDir and extraFlags; the
    // spec amends one copy of it and puts its service into runtime.services.
    Project project = SpecLoader.load(Path.of("../examples/services/rig.pkl"));
    RuntimeSpec.Service service = project.images().get("comfy").runtime().services().get("comfyui");
    assertEquals(
        List.of(
            "python3",
            "/opt/comfyui/main.py",
            "--listen",
            "0.0.0.0",
            "--port",
            "9000",
            "--base-directory",
            "/workspace/comfyui",
            "--lowvram"),
        service.command());
    assertEquals(Optional.of(9000), service.readiness().orElseThrow().tcpPort());
    assertEquals("always", service.restart());
  }

  @Test
  void anImageWithNoOptionsGetsTheDefaults() throws Exception {
    Project project = SpecLoader.load(write(dir, "rig.pkl", AMENDS + "images { [\"x\"] {} }\n"));

    ImageSpec x = project.images().get("x");
    assertEquals(
        new ImageSpec(
            "x",
            "latest",
            Map.of(
                "PATH",
                "/root/.local/bin:/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin"
                    + ":/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG",
                "C.UTF-8",
                "HOME",
                "/root",
                "TERM",
                "xterm-256color",
                "SSL_CERT_FILE",
                "/etc/ssl/certs/ca-certificates.crt",
                "USER",
                "root"),
            Map.of("com.nvidia.volumes.needed", "nvidia_driver"),
            List.of("22/tcp"),
            "root",
            "/root",
            List.of(),
            List.of(),
            List.of(),
            50,
            List.of(),
            Optional.empty(),
            "linux/amd64",
            PackagesSpec.NONE,
            RuntimeSpec.DEFAULT,
            CudaSpec.DEFAULT,
            Optional.empty(),
            PythonSpec.NONE,
            VmSpec.DEFAULT),
        x);
    assertEquals(
        x, SpecLoader.load(write(dir, "rig.yaml", "images:\n  x: {}\n")).images().get("x"));
    assertEquals(
        x, SpecLoader.load(write(dir, "rig.json", "{\"images\":{\"x\":{}}}")).images().get("x"));
  }

  @Test
  void emptySpecsDeclareNoImages() throws Exception {
    assertEquals(Map.of(), SpecLoader.load(write(dir, "rig.pkl", AMENDS)).images());
    assertEquals(Map.of(), SpecLoader.load(write(dir, "rig.yaml", "")).images());
    assertEquals(Map.of(), SpecLoader.load(write(dir, "rig.json", "{}")).images());
  }

  @Test
  void extraEnvIsMergedOverEnvAndKeepsTheDefaultsFirst() throws Exception {
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.pkl",
                AMENDS
                    + """
                    images {
                      ["x"] {
                        extraEnv {
                          ["ZED"] = "last"
                          ["HOME"] = "/home/x"
                          ["A_B"] = "c"
                        }
                      }
                    }
                    """));

    Map<String, String> env = project.images().get("x").env();
    assertEquals(
        List.of("PATH", "LANG", "HOME", "TERM", "SSL_CERT_FILE", "USER", "ZED", "A_B"),
        List.copyOf(env.keySet()));
    assertEquals("/home/x", env.get("HOME"));
    assertEquals("last", env.get("ZED"));
  }

  @Test
  void envInYamlReplacesTheDefaultsWhileExtraEnvAddsToThem() throws Exception {
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.yaml",
                """
                images:
                  x:
                    env: { PATH: /bin }
                    extraEnv: { HOME: /x, FOO: bar }
                """));

    assertEquals(
        Map.of("PATH", "/bin", "HOME", "/x", "FOO", "bar"), project.images().get("x").env());
  }

  @Test
  void pklListingsAmendTheDefaultAndPortsAreNormalisedOnce() throws Exception {
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.pkl",
                AMENDS
                    + "images { [\"x\"] { exposedPorts { \"22\"; \"8080/tcp\"; \"8080\" } } }\n"));

    assertEquals(List.of("22/tcp", "8080/tcp"), project.images().get("x").exposedPorts());
  }

  @Test
  void relativeHostPathsAreResolvedAgainstTheSpecDirectory() throws Exception {
    write(dir, "shared/model.bin", "weights");
    Path absolute = write(dir, "elsewhere/tool", "tool");
    SpecFiles.layout(dir.resolve("layouts/base"));
    Path spec =
        write(
            dir,
            "project/rig.yaml",
            """
            images:
              x:
                copyToRoot:
                  - { source: ../shared/model.bin, target: /models/model.bin }
                  - { source: "%s", target: /usr/bin/tool }
                from: oci:../layouts/base
            """
                .formatted(absolute));

    ImageSpec x = SpecLoader.load(spec).images().get("x");

    assertEquals(dir.resolve("shared/model.bin"), x.copyToRoot().get(0).source());
    assertEquals(absolute, x.copyToRoot().get(1).source());
    assertEquals(
        Optional.of(new BaseImageRef.OciLayoutRef(dir.resolve("layouts/base"), "")), x.from());
  }

  @Test
  void relativeSpecPathsWork() throws Exception {
    write(dir, "files/a", "a");
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + "images { [\"x\"] { copyToRoot { new { source = \"files/a\"; target = \"/a\" } } } }");
    Path relative = Path.of("").toAbsolutePath().relativize(spec);

    Project project = SpecLoader.load(relative);

    assertEquals(spec, project.file());
    assertEquals(dir.resolve("files/a"), project.images().get("x").copyToRoot().get(0).source());
  }

  @Test
  void aPklSpecCanImportTheUsersOwnModules() throws Exception {
    write(dir, "files/tool", "tool");
    write(
        dir,
        "lib/common.pkl",
        """
        import "modulepath:/rig/Project.pkl"

        /// What every image of the team starts from.
        base: Project.Image = new {
          extraEnv { ["TEAM"] = "ml" }
          exposedPorts { "8888/tcp" }
          copyToRoot { new { source = "files/tool"; target = "/usr/bin/tool"; mode = "755" } }
        }
        """);
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + """
                import "lib/common.pkl"

                images {
                  ["train"] = (common.base) { tag = "train" }
                  ["serve"] = (common.base) {
                    extraEnv { ["PORT"] = "8080" }
                  }
                }
                """);

    Project project = SpecLoader.load(spec);

    ImageSpec train = project.images().get("train");
    ImageSpec serve = project.images().get("serve");
    assertEquals("train", train.tag());
    assertEquals("latest", serve.tag());
    assertEquals("ml", train.env().get("TEAM"));
    assertEquals("ml", serve.env().get("TEAM"));
    assertEquals("8080", serve.env().get("PORT"));
    assertEquals(List.of("22/tcp", "8888/tcp"), serve.exposedPorts());
    // Host paths are relative to the spec file, wherever the Pkl that names them lives.
    assertEquals(
        List.of(
            new CopyToRoot(dir.resolve("files/tool"), "/usr/bin/tool", OptionalInt.of(0755), 0, 0)),
        train.copyToRoot());
  }

  @Test
  void findLooksForTheKnownNames() throws Exception {
    assertEquals(Optional.empty(), SpecLoader.find(dir));

    Path yaml = write(dir, "rig.yml", "images: {}\n");
    assertEquals(Optional.of(yaml), SpecLoader.find(dir));
  }

  @Test
  void findRefusesToGuessBetweenSeveralSpecs() {
    write(dir, "rig.pkl", AMENDS);
    write(dir, "rig.json", "{}");

    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.find(dir));

    assertEquals("several spec files: rig.pkl, rig.json", e.problem());
    assertEquals("keep one, or choose one with -f FILE", e.hint());
  }

  @Test
  void aWarmLoadIsFast() throws Exception {
    fullSpecFiles();
    Path spec = write(dir, "rig.pkl", FULL_PKL);
    for (int i = 0; i < 5; i++) {
      SpecLoader.load(spec);
    }
    long start = System.nanoTime();
    SpecLoader.load(spec);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertTrue(millis < 1000, "a warm load took " + millis + " ms");
  }

  @Test
  void yamlListsReplaceTheDefaultWhilePklListingsAmendIt() throws Exception {
    Project yaml =
        SpecLoader.load(write(dir, "rig.yaml", "images:\n  x:\n    exposedPorts: [\"8080\"]\n"));
    Project pkl =
        SpecLoader.load(
            write(dir, "rig.pkl", AMENDS + "images { [\"x\"] { exposedPorts { \"8080\" } } }"));
    Project pklReplacing =
        SpecLoader.load(
            write(
                dir,
                "replace.pkl",
                AMENDS + "images { [\"x\"] { exposedPorts = new Listing { \"8080\" } } }"));

    assertEquals(List.of("8080/tcp"), yaml.images().get("x").exposedPorts());
    assertEquals(List.of("22/tcp", "8080/tcp"), pkl.images().get("x").exposedPorts());
    assertEquals(List.of("8080/tcp"), pklReplacing.images().get("x").exposedPorts());
  }

  @Test
  void anImageWithNothingAfterItsNameInYamlGetsTheDefaults() throws Exception {
    Project yaml = SpecLoader.load(write(dir, "rig.yaml", "images:\n  x:\n"));
    Project pkl = SpecLoader.load(write(dir, "rig.pkl", AMENDS + "images { [\"x\"] {} }"));

    assertEquals(pkl.images(), yaml.images());
  }

  @Test
  void hostPathsMayHoldAnyCharacter() throws Exception {
    // Names whose base64 holds '/', '+' and '=' travel through the schema's host check too.
    Path odd = write(dir, "we ird/???/ü+x>.txt", "x");
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.json",
                "{\"images\": {\"x\": {\"copyToRoot\": [{\"source\": \"we ird/???/ü+x>.txt\","
                    + " \"target\": \"/x\"}]}}}"));

    assertEquals(odd, project.images().get("x").copyToRoot().get(0).source());
  }

  @Test
  void environmentCudaAndHomeOptions() throws Exception {
    write(dir, "dotfiles/.vimrc", "set nu\n");
    Project pkl =
        SpecLoader.load(
            write(
                dir,
                "rig.pkl",
                AMENDS
                    + """
                    images {
                      ["gpu"] {
                        systemPackages { "htop"; "jq=1.7.1-6" }
                        environment { dev = true; network = false }
                        cuda {
                          driverCapabilities { "video" }
                          allowDriverPackages = true
                        }
                        home = "dotfiles"
                      }
                    }
                    """));
    ImageSpec gpu = pkl.images().get("gpu");
    assertEquals(List.of("htop", "jq=1.7.1-6"), gpu.packages().systemPackages());
    assertEquals(new EnvironmentSpec(true, true, false, true), gpu.packages().environment());
    assertFalse(gpu.packages().isEmpty(), "systemPackages alone install packages");
    assertEquals(List.of("htop", "jq=1.7.1-6", "apt"), gpu.packages().resolverRequests());
    assertEquals(
        new CudaSpec(
            true,
            "12.4",
            Optional.empty(),
            CudaSpec.DEBIAN_12_4,
            List.of("compute", "utility", "video"),
            true),
        gpu.cuda());
    assertEquals(Optional.of(new HomeSource.Directory(dir.resolve("dotfiles"))), gpu.home());

    Project yaml =
        SpecLoader.load(
            write(
                dir,
                "rig.yaml",
                """
                images:
                  gpu:
                    packages: [python3]
                    environment: { core: false, shell: false }
                    cuda:
                      version: "12.8"
                      repository:
                        uri: https://cuda-repo.example.invalid/debian12/x86_64/
                        suites: ["/"]
                        signedBy: dotfiles/.vimrc
                      driverCapabilities: [compute]
                """));
    ImageSpec fromYaml = yaml.images().get("gpu");
    assertEquals(new EnvironmentSpec(false, false, true, false), fromYaml.packages().environment());
    assertEquals("12.8", fromYaml.cuda().version());
    assertEquals(
        List.of(
            "cuda-cudart-12-8",
            "libcublas-12-8",
            "libcufft-12-8",
            "libcurand-12-8",
            "libcusparse-12-8",
            "cuda-nvrtc-12-8",
            "libnvjitlink-12-8",
            "libnccl2"),
        fromYaml.cuda().packages());
    assertEquals(List.of("/"), fromYaml.cuda().repository().orElseThrow().suites());
    assertEquals(List.of("compute"), fromYaml.cuda().driverCapabilities());

    Project git =
        SpecLoader.load(
            write(
                dir,
                "git.yaml",
                """
                images:
                  local: { homeGit: { url: dotfiles-repo } }
                  remote:
                    homeGit: { url: "git@example.invalid:me/dots.git", ref: v2, directory: home }
                """));
    assertEquals(
        Optional.of(
            new HomeSource.Git(
                "dotfiles-repo",
                "HEAD",
                Optional.empty(),
                dir.resolve("dotfiles-repo").toString())),
        git.images().get("local").home(),
        "a relative path is relative to the spec; rig.lock keeps it as written");
    assertEquals(
        Optional.of(
            new HomeSource.Git(
                "git@example.invalid:me/dots.git",
                "v2",
                Optional.of("home"),
                "git@example.invalid:me/dots.git")),
        git.images().get("remote").home());

    ImageSpec off =
        SpecLoader.load(
                write(
                    dir,
                    "off.yaml",
                    "images:\n  x:\n    cuda: { enable: false, version: \"13.0\" }\n"))
            .images()
            .get("x");
    assertEquals(List.of(), off.cuda().packages());
  }
}
