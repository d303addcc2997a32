package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecLoader;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands and specs in docs/ work as written. Every fenced block of every page is checked, so
 * that a doc change cannot drift silently:
 *
 * <ul>
 *   <li>{@code pkl} blocks evaluate against rig's schema (a block that is not a whole spec is
 *       wrapped: one starting with {@code images} gets the {@code amends} line, any other is put
 *       inside an image); {@code yaml} blocks with {@code images} load as specs, Kubernetes ones
 *       are parsed and their pod spec's key fields asserted.
 *   <li>Every {@code rig} / {@code ./rig} command, in a {@code sh} block or an inline code span,
 *       parses with rig's command line.
 *   <li>Every other {@code sh} command is either run by {@link #theDocumentedFlowRuns} (listed in
 *       {@link #RUN}) or listed in {@link #NOT_RUN} with the reason; a new command fails {@link
 *       #everyBlockIsClassified} until someone classifies it. Unlabelled blocks likewise.
 * </ul>
 *
 * <p>{@link #theDocumentedFlowRuns} runs getting started from {@code rig init basic} to an SSH
 * login, then the market pages' {@code docker run} / {@code podman run} commands, with these
 * substitutions and no others:
 *
 * <ul>
 *   <li>{@code rig} / {@code ./rig} runs in-process ({@link RigRun}), so the working directory
 *       cannot change: commands that read the spec get {@code -f ci.pkl} (see below), {@code build}
 *       gets {@code --out oci:PROJECT/out}, {@code shell} gets {@code --workspace PROJECT}, {@code
 *       init} gets {@code --dir PROJECT}; every command gets {@code --cache} {@link
 *       RigRun#sharedCache()}; {@code load} and {@code shell} get {@code --runtime} the test's
 *       podman ({@link Podman}).
 *   <li>The image name {@code gpu-box} becomes {@code gpu-box-ID} (a fresh id per run, since
 *       podman's image store is shared); the project directory is named so.
 *   <li>{@code ghcr.io/OWNER} becomes {@code 127.0.0.1:PORT/owner}, a {@link LocalRegistry}; {@code
 *       push} and {@code build --push} get {@code --plain-http}, podman gets {@code
 *       --tls-verify=false}.
 *   <li>ci.pkl amends the doc's rig.pkl to keep the build small and to keep sshd off port 22 of
 *       this machine (containers share the host network): {@code cuda { enable = false }}, every
 *       {@code environment} set off, {@code runtime { sshd { port = N; listenAddress = "127.0.0.1"
 *       } }}. Port mappings ({@code -p 2222:22}) are ignored under the host network; the {@code ssh
 *       -p} of each doc command becomes N and its host 127.0.0.1.
 *   <li>{@code docker} becomes the test's podman; the GPU flags ({@code --gpus all}, {@code
 *       --device nvidia.com/gpu=all}) are removed, since this machine has no GPU (the test asserts
 *       that they are in the docs, and that {@code rig shell --dry-run --gpus all} prints them).
 *   <li>{@code ssh} gets {@code -F CONFIG} (the test's key, no host key checks, batch mode); {@code
 *       HOME} is a temp directory holding {@code ~/.ssh/id_ed25519.pub}, {@code
 *       ~/.ssh/authorized_keys} and {@code ~/workspace}, so {@code $(cat ~/.ssh/...)} and {@code
 *       $HOME/workspace} work as written.
 *   <li>{@code rig shell gpu-box bash} runs {@code rig shell gpu-box -- bash -c 'echo pwd=$PWD;
 *       ...'} instead of an interactive bash (the test has no terminal).
 * </ul>
 */
class DocsCommandsTest {
  static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();

  /** The hand-written pages (options.md is generated and checked by OptionsDocTest). */
  static final List<String> PAGES =
      List.of(
          "getting-started.md",
          "python.md",
          "runtime.md",
          "signing.md",
          "architecture.md",
          "markets/docker-and-podman.md",
          "markets/kubernetes.md",
          "markets/lambda-and-bare-metal.md",
          "markets/runpod.md",
          "markets/vastai.md",
          "vm.md",
          "vm-artifacts.md");

  static final String AMENDS = "amends \"modulepath:/rig/Project.pkl\"";

  /** Commands (other than rig's) that {@link #theDocumentedFlowRuns} runs, as "page: command". */
  static final Set<String> RUN =
      Set.of(
          "getting-started.md: mkdir gpu-box && cd gpu-box",
          "getting-started.md: ssh -p 41022 root@203.0.113.7",
          "getting-started.md: /usr/lib/rig/rig-init status",
          "getting-started.md: /usr/lib/rig/rig-init doctor",
          "runtime.md: age-keygen -o rig-age.key",
          "runtime.md: age -r age1... -o token.age token.txt",
          "runtime.md: rm token.txt",
          "runtime.md: /usr/lib/rig/rig-init status",
          "runtime.md: /usr/lib/rig/rig-init status --json",
          "runtime.md: /usr/lib/rig/rig-init doctor",
          "runtime.md: /usr/lib/rig/rig-init validate",
          "markets/docker-and-podman.md: " + DockerRun.DOCKER,
          "markets/docker-and-podman.md: docker logs gpu-box",
          "markets/docker-and-podman.md: ssh -p 2222 root@localhost",
          "markets/docker-and-podman.md: docker stop -t 30 gpu-box",
          "markets/docker-and-podman.md: " + DockerRun.PODMAN,
          "markets/lambda-and-bare-metal.md: " + DockerRun.LAMBDA,
          "markets/vastai.md: /usr/lib/rig/rig-init run &");

  /** Commands that cannot run here, as "page: command" → why. */
  static final Map<String, String> NOT_RUN =
      Map.ofEntries(
          Map.entry(
              "signing.md: podman pull ghcr.io/OWNER/app:0.1",
              "this machine's podman has sigstore disabled; SigningEndToEndTest checks the same"
                  + " policy with trixie's skopeo"),
          Map.entry(
              "signing.md: skopeo copy docker://ghcr.io/OWNER/app:0.1 oci:app:0.1",
              "this machine's skopeo has sigstore disabled; SigningEndToEndTest runs trixie's"
                  + " skopeo with the same policy"),
          Map.entry(
              "getting-started.md: export PATH=\"$PWD:$PATH\"",
              "the test runs rig in-process (RigRun), not through the launcher on PATH"),
          Map.entry(
              "getting-started.md: export GITHUB_TOKEN=...",
              "needs a GitHub token; the test pushes to a local registry without credentials"),
          Map.entry(
              "getting-started.md: nvidia-smi",
              "needs a GPU and the host's injected driver; this machine has none"),
          Map.entry(
              "markets/docker-and-podman.md: sudo nvidia-ctk cdi generate"
                  + " --output=/etc/cdi/nvidia.yaml",
              "needs the NVIDIA driver and Container Toolkit on the host; no GPU here"),
          Map.entry(
              "markets/docker-and-podman.md: nvidia-ctk cdi list",
              "needs the NVIDIA Container Toolkit and a GPU; no GPU here"),
          Map.entry(
              "markets/kubernetes.md: kubectl create secret generic gpu-box-ssh"
                  + " --from-file=authorized_keys=$HOME/.ssh/id_ed25519.pub",
              "needs a Kubernetes cluster; the pod spec is parsed and checked instead"),
          Map.entry(
              "markets/kubernetes.md: kubectl apply -f gpu-box.yaml",
              "needs a Kubernetes cluster with GPUs"),
          Map.entry("markets/kubernetes.md: kubectl logs gpu-box", "needs a Kubernetes cluster"),
          Map.entry(
              "markets/kubernetes.md: kubectl port-forward pod/gpu-box 2222:22 &",
              "needs a Kubernetes cluster"),
          Map.entry(
              "markets/kubernetes.md: ssh -p 2222 root@localhost",
              "through kubectl port-forward; the same login is run on the docker page"),
          Map.entry(
              "markets/lambda-and-bare-metal.md: ssh ubuntu@INSTANCE-IP",
              "a rented cloud VM; the docker run that follows is run here with podman"),
          Map.entry(
              "vm.md: ssh -p PORT root@127.0.0.1",
              "PORT is what rig vm run prints; VmRunEndToEndTest connects to the forward"),
          Map.entry(
              "vm.md: sudo update-grub && sudo reboot",
              "reboots a bare-metal host with the IOMMU on; none here"),
          Map.entry(
              "vm.md: ls /sys/kernel/iommu_groups",
              "empty here (no IOMMU); VfioPreflightTest reads a fake tree"),
          Map.entry("vm.md: sudo modprobe vfio-pci", "binds host devices; no GPU here to bind"),
          Map.entry(
              "vm.md: echo vfio-pci | sudo tee"
                  + " /sys/bus/pci/devices/0000:65:00.0/driver_override",
              "needs a GPU on the host; VfioPreflightTest checks --bind writes this"),
          Map.entry(
              "vm.md: echo 0000:65:00.0 | sudo tee"
                  + " /sys/bus/pci/devices/0000:65:00.0/driver/unbind",
              "needs a GPU on the host; VfioPreflightTest checks --bind writes this"),
          Map.entry(
              "vm.md: echo 0000:65:00.0 | sudo tee /sys/bus/pci/drivers_probe",
              "needs a GPU on the host; VfioPreflightTest checks --bind writes this"));

  /** Unlabelled blocks, by their first line's start → how they are checked. */
  static final Map<String, String> TEXT_BLOCKS =
      Map.of(
          "rig-init: market: ", "run: the container prints this line given the market's variables",
          "ENTRYPOINT ", "run: the built image's entrypoint is this",
          "Rig.load(spec file)", "not run: the pipeline diagram",
          "docker:", "not run: a registries.d file; SigningEndToEndTest uses the same",
          "{\"default\": ",
              "not run: a policy.json; SigningEndToEndTest checks the same policy with skopeo");

  @TempDir Path dir;

  // ---------------------------------------------------------------------------------------------
  // Reading the docs

  record Block(String page, int line, String lang, String text) {
    String where() {
      return page + ":" + line;
    }
  }

  static String read(String page) {
    try {
      return Files.readString(DOCS.resolve(page));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + page, e);
    }
  }

  static List<Block> blocks(String page) {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = read(page).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("```")) {
        String lang = lines.get(i).substring(3).strip();
        int start = i;
        StringBuilder text = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        blocks.add(new Block(page, start + 1, lang, text.toString()));
      }
    }
    return blocks;
  }

  static Stream<Block> allBlocks() {
    return PAGES.stream().flatMap(page -> blocks(page).stream());
  }

  /** The logical commands of a sh block: continuation lines joined, comments and blanks dropped. */
  static List<String> commands(String text) {
    List<String> commands = new ArrayList<>();
    String joined = text.replaceAll("\\\\\n\\s*", "");
    for (String line : joined.lines().toList()) {
      String command = stripComment(line).strip();
      if (!command.isEmpty()) {
        commands.add(command);
      }
    }
    return commands;
  }

  /** The line without a trailing {@code # comment} (a # after a blank, outside quotes). */
  static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Shell words, quotes removed; no expansion (enough for rig's own command lines). */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  static boolean isRig(String command) {
    return command.startsWith("rig ") || command.startsWith("./rig ");
  }

  /** Every rig command of the docs: sh block lines and inline code spans, as "page: command". */
  static List<String> rigCommands() {
    List<String> all = new ArrayList<>();
    Pattern inline = Pattern.compile("`([^`\n]+)`");
    for (String page : PAGES) {
      for (Block block : blocks(page)) {
        if (block.lang().equals("sh")) {
          commands(block.text()).stream().filter(DocsCommandsTest::isRig).forEach(all::add);
        }
      }
      String prose = read(page).replaceAll("(?s)```.*?```", "");
      Matcher m = inline.matcher(prose);
      while (m.find()) {
        if (isRig(m.group(1))) {
          all.add(m.group(1));
        }
      }
    }
    return all;
  }

  /** The one command of {@code page} that equals {@code command}; fails when the doc lost it. */
  static String command(String page, String command) {
    assertTrue(
        RUN.contains(page + ": " + command) || isRig(command),
        "the test runs only commands listed in RUN: " + command);
    boolean found =
        blocks(page).stream()
            .filter(b -> b.lang().equals("sh"))
            .anyMatch(b -> commands(b.text()).contains(command));
    assertTrue(found, page + " no longer has the command `" + command + "`");
    return command;
  }

  static Block block(String page, String lang, Predicate<String> which) {
    List<Block> found =
        blocks(page).stream().filter(b -> b.lang().equals(lang) && which.test(b.text())).toList();
    assertEquals(1, found.size(), page + ": expected one such " + lang + " block: " + found);
    return found.get(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Checks without containers

  @Test
  void everyBlockIsClassified() throws IOException {
    Path real = DOCS.toRealPath();
    try (Stream<Path> files = Files.walk(real)) {
      Set<String> pages =
          files
              .filter(p -> p.toString().endsWith(".md"))
              .map(p -> real.relativize(p).toString())
              .filter(p -> !p.equals("options.md"))
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(new TreeSet<>(PAGES), pages, "a doc page was added or removed: update PAGES");
    }
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    allBlocks()
        .forEach(
            block -> {
              switch (block.lang()) {
                case "sh" -> {
                  for (String command : commands(block.text())) {
                    String key = block.page() + ": " + command;
                    seen.add(key);
                    if (!isRig(command) && !RUN.contains(key) && !NOT_RUN.containsKey(key)) {
                      problems.add(
                          block.where()
                              + ": unclassified command (add it to RUN and run it, or"
                              + " to NOT_RUN with the reason): "
                              + key);
                    }
                  }
                }
                case "pkl", "yaml" -> {
                  // Checked by pklBlocksEvaluate and yamlBlocksLoadOrParse.
                }
                case "" -> {
                  String first = block.text().lines().findFirst().orElse("");
                  if (TEXT_BLOCKS.keySet().stream().noneMatch(first::startsWith)) {
                    problems.add(block.where() + ": unclassified text block: " + first);
                  }
                }
                default -> problems.add(block.where() + ": unknown block language " + block.lang());
              }
            });
    for (String key : RUN) {
      if (!seen.contains(key)) {
        problems.add("RUN lists a command no page has any more: " + key);
      }
    }
    for (String key : NOT_RUN.keySet()) {
      if (!seen.contains(key)) {
        problems.add("NOT_RUN lists a command no page has any more: " + key);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyRigCommandParses() {
    List<String> commands = rigCommands();
    assertTrue(commands.size() > 20, "found only " + commands);
    List<String> problems = new ArrayList<>();
    for (String command : commands) {
      List<String> args = words(command);
      if (args.size() == 2 && !args.get(1).startsWith("-")) {
        // A command named in prose ("`rig shell` passes ..."): it must exist.
        if (!Main.commandLine().getSubcommands().containsKey(args.get(1))) {
          problems.add(command + ": no such command");
        }
        continue;
      }
      try {
        Main.commandLine(args.subList(1, args.size()).toArray(String[]::new))
            .parseArgs(args.subList(1, args.size()).toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        problems.add(command + ": " + e.getMessage());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void pklBlocksEvaluate() throws Exception {
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (Block block : allBlocks().filter(b -> b.lang().equals("pkl")).toList()) {
      Path where = Files.createDirectories(dir.resolve("pkl-" + n++));
      // Files that fragments name (runtime.md's secret): present, as they would be in a project.
      Files.writeString(where.resolve("token.age"), "an age file\n");
      try {
        Project project = loadPkl(where, block.text());
        assertFalse(project.images().isEmpty(), block.where() + " declares no image");
      } catch (Exception e) {
        problems.add(block.where() + ": " + e.getMessage());
      }
    }
    assertTrue(n >= 5, "found only " + n + " pkl blocks");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  static Project loadPkl(Path where, String text) throws Exception {
    String source;
    String first = text.lines().filter(l -> !l.startsWith("//")).findFirst().orElse("").strip();
    if (first.startsWith("amends")) {
      source = text;
    } else if (first.startsWith("images")) {
      source = AMENDS + "\n\n" + text;
    } else {
      source = AMENDS + "\n\nimages {\n  [\"doc\"] {\n" + text + "\n  }\n}\n";
    }
    Path file = where.resolve("rig.pkl");
    Files.writeString(file, source);
    return SpecLoader.load(file);
  }

  @Test
  void yamlBlocksLoadOrParse() throws Exception {
    List<Block> yaml = allBlocks().filter(b -> b.lang().equals("yaml")).toList();
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    int specs = 0;
    int pods = 0;
    for (Block block : yaml) {
      JsonNode node = mapper.readTree(block.text());
      if (node.has("images")) {
        Path file = Files.createDirectories(dir.resolve("yaml-" + specs++)).resolve("rig.yaml");
        Files.writeString(file, block.text());
        assertFalse(SpecLoader.load(file).images().isEmpty(), block.where());
      } else if ("Pod".equals(node.path("kind").asText())) {
        pods++;
        checkPod(block, node);
      } else {
        fail(block.where() + ": a yaml block that is neither a rig spec nor a Kubernetes Pod");
      }
    }
    assertEquals(1, specs, "yaml specs");
    assertEquals(1, pods, "Kubernetes pods");

    // getting-started's YAML is the same spec as its edited rig.pkl.
    Block pkl = block("getting-started.md", "pkl", t -> t.contains("tag = \"0.1\""));
    Block yml = block("getting-started.md", "yaml", t -> t.contains("images:"));
    Project fromPkl = loadPkl(Files.createDirectories(dir.resolve("same-pkl")), pkl.text());
    Path yamlFile = Files.createDirectories(dir.resolve("same-yaml")).resolve("rig.yaml");
    Files.writeString(yamlFile, yml.text());
    ImageSpec a = fromPkl.images().get("gpu-box");
    ImageSpec b = SpecLoader.load(yamlFile).images().get("gpu-box");
    assertNotNull(a);
    assertEquals(a, b, "getting-started's rig.pkl and rig.yaml differ");
  }

  private static void checkPod(Block block, JsonNode pod) {
    String where = block.where() + ": ";
    JsonNode spec = pod.get("spec");
    assertEquals(1, spec.get("containers").size(), where + "one container");
    JsonNode container = spec.get("containers").get(0);
    assertTrue(
        container.get("image").asText().matches("ghcr\\.io/OWNER/[a-z0-9-]+:[A-Za-z0-9.]+"),
        where + "image");
    assertFalse(container.has("command"), where + "`command` would replace tini and rig-init");
    assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt(), where + "GPU limit");
    assertEquals(22, container.at("/ports/0/containerPort").asInt(), where + "port 22");
    assertEquals(22, container.at("/readinessProbe/tcpSocket/port").asInt(), where + "probe");
    Map<String, JsonNode> volumes = new LinkedHashMap<>();
    spec.get("volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
    Map<String, String> mounts = new LinkedHashMap<>();
    container
        .get("volumeMounts")
        .forEach(m -> mounts.put(m.get("mountPath").asText(), m.get("name").asText()));
    for (String memory : List.of("/dev/shm", "/run/secrets")) {
      JsonNode volume = volumes.get(mounts.get(memory));
      assertNotNull(volume, where + "a volume at " + memory);
      assertEquals("Memory", volume.at("/emptyDir/medium").asText(), where + memory);
    }
    assertTrue(volumes.get(mounts.get("/dev/shm")).at("/emptyDir/sizeLimit").isTextual());
    assertTrue(mounts.containsKey("/workspace"), where + "/workspace");
    List<String> env = new ArrayList<>();
    container.get("env").forEach(e -> env.add(e.get("name").asText()));
    assertTrue(env.contains("PUBLIC_KEY"), where + "PUBLIC_KEY");
    assertTrue(spec.get("terminationGracePeriodSeconds").asInt() >= 30, where + "grace period");
    // The kubectl commands next to it name the same pod, secret and key.
    String pod0 = pod.at("/metadata/name").asText();
    JsonNode keyRef = container.get("env").get(0).at("/valueFrom/secretKeyRef");
    String all =
        String.join("\n", commands(block("markets/kubernetes.md", "sh", t -> true).text()));
    assertTrue(
        all.contains(
            "kubectl create secret generic "
                + keyRef.get("name").asText()
                + " --from-file="
                + keyRef.get("key").asText()
                + "="),
        all);
    assertTrue(all.contains("kubectl logs " + pod0) && all.contains("pod/" + pod0), all);
  }

  @Test
  void gpuFlagsAreInTheDocsAndRigShellPrintsThem() throws Exception {
    String docker = DockerRun.DOCKER;
    assertTrue(docker.contains(" --gpus all "), docker);
    assertTrue(DockerRun.LAMBDA.contains(" --gpus all "), DockerRun.LAMBDA);
    assertTrue(DockerRun.PODMAN.contains(" --device nvidia.com/gpu=all "), DockerRun.PODMAN);
    String table = read("markets/docker-and-podman.md");
    assertTrue(table.contains("| GPUs, docker | `--gpus all`"), "docker's GPU flag in the table");
    assertTrue(
        table.contains("| GPUs, podman | `--device nvidia.com/gpu=all`"),
        "podman's GPU flag in the table");

    // `./rig shell --dry-run gpu-box`, with --gpus all (this machine has no GPU for auto to find),
    // for podman and for docker (a stand-in executable: --dry-run runs nothing).
    String dryRun = command("markets/docker-and-podman.md", "./rig shell --dry-run gpu-box");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec, "images:\n  gpu-box:\n    copyToRoot: [{ source: rig.yaml, target: /rig.yaml }]\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String engine : List.of("podman", "docker")) {
      Path fake = bin.resolve(engine);
      Files.writeString(fake, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
      List<String> args = new ArrayList<>(words(dryRun).subList(1, 3));
      args.addAll(
          List.of(
              "--cache",
              dir.resolve("cache").toString(),
              "-f",
              spec.toString(),
              "--runtime",
              fake.toString(),
              "--gpus",
              "all"));
      args.addAll(words(dryRun).subList(3, words(dryRun).size()));
      RigRun run = RigRun.of(args).ok();
      String flag = engine.equals("podman") ? "--device nvidia.com/gpu=all" : "--gpus all";
      assertTrue(run.stdout().contains(" run --rm -i " + flag + " -v "), run.describe());
      assertFalse(run.stdout().contains("--shm-size"), "the page says rig shell sets no shm size");
      if (engine.equals("podman") && !Files.exists(Path.of("/etc/cdi"))) {
        assertTrue(run.stderr().contains("nvidia-ctk cdi generate"), "says podman has no CDI spec");
      }
    }
  }

  @Test
  void ageSecretCommandsAndTheSecretSpec() throws Exception {
    Tools.require("age", "age");
    Path project = Files.createDirectories(dir.resolve("secret"));
    Files.writeString(project.resolve("token.txt"), "hf_doc_token\n");
    Exec.Result keygen = bash(project, command("runtime.md", "age-keygen -o rig-age.key"));
    Matcher recipient = Pattern.compile("Public key: (age1[0-9a-z]+)").matcher(keygen.stderr());
    assertTrue(recipient.find(), "age-keygen prints \"Public key: age1...\": " + keygen.describe());
    String encrypt = command("runtime.md", "age -r age1... -o token.age token.txt");
    bash(project, encrypt.replace("age1...", recipient.group(1)));
    bash(project, command("runtime.md", "rm token.txt"));
    assertFalse(Files.exists(project.resolve("token.txt")));
    Block secrets = block("runtime.md", "pkl", t -> t.contains("secrets {"));
    Project spec = loadPkl(project, secrets.text());
    assertEquals(
        project.resolve("token.age"),
        spec.images().get("doc").runtime().secrets().get("hf-token").file());
    Exec.Result decrypted =
        Exec.run(
            List.of("age", "-d", "-i", "rig-age.key", "token.age"),
            Map.of(),
            project,
            Duration.ofSeconds(30));
    assertEquals("hf_doc_token", decrypted.ok().stdout().strip());
  }

  // ---------------------------------------------------------------------------------------------
  // The documented flow, in containers

  /** The docker/podman run commands of the market pages, as the docs write them (joined). */
  static final class DockerRun {
    static final String DOCKER =
        "docker run -d --name gpu-box --gpus all --shm-size=16g -p 2222:22"
            + " -e PUBLIC_KEY=\"$(cat ~/.ssh/id_ed25519.pub)\" -v \"$HOME/workspace:/workspace\""
            + " --tmpfs /run/secrets ghcr.io/OWNER/gpu-box:0.1";
    static final String PODMAN =
        "podman run -d --name gpu-box --device nvidia.com/gpu=all --shm-size=16g -p 2222:22"
            + " -e PUBLIC_KEY=\"$(cat ~/.ssh/id_ed25519.pub)\" -v \"$HOME/workspace:/workspace\""
            + " --tmpfs /run/secrets ghcr.io/OWNER/gpu-box:0.1";
    static final String LAMBDA =
        "docker run -d --name gpu-box --gpus all --shm-size=32g -p 2222:22"
            + " -e PUBLIC_KEY=\"$(cat ~/.ssh/authorized_keys)\" -v \"$HOME/workspace:/workspace\""
            + " --tmpfs /run/secrets ghcr.io/OWNER/gpu-box:0.1";
  }

  private String id;
  private String name;
  private Path project;
  private Path home;
  private Path sshConfig;
  private int sshPort;
  private Podman podman;
  private LocalRegistry registry;
  private final List<String> containers = new ArrayList<>();

  /** The doc's text with the flow's substitutions of names and places. */
  private String subst(String text) {
    return text.replace("ghcr.io/OWNER/", registry.host() + "/owner/")
        .replace("ghcr.io/owner/", registry.host() + "/owner/")
        .replaceAll("\\bgpu-box\\b", name);
  }

  /** Runs a doc's rig command in-process, with the substitutions listed in the class comment. */
  private RigRun rig(String docCommand, String spec) {
    List<String> words = words(subst(docCommand));
    String sub = words.get(1);
    List<String> args = new ArrayList<>(List.of(sub));
    if (!sub.equals("init")) {
      args.addAll(List.of("--cache", RigRun.sharedCache().toString()));
      args.addAll(List.of("-f", project.resolve(spec).toString()));
    }
    switch (sub) {
      case "init" -> args.addAll(List.of("--dir", project.toString()));
      case "build" -> args.addAll(List.of("--out", "oci:" + project.resolve("out")));
      case "load" -> args.addAll(List.of("--runtime", podman.launcher().toString()));
      case "shell" ->
          args.addAll(
              List.of(
                  "--runtime", podman.launcher().toString(), "--workspace", project.toString()));
      default -> {}
    }
    if (sub.equals("push") || words.contains("--push")) {
      args.add("--plain-http");
    }
    args.addAll(words.subList(2, words.size()));
    long t0 = System.nanoTime();
    RigRun run = RigRun.of(args);
    System.out.printf(
        "%s  (%d ms)%n", String.join(" ", args), (System.nanoTime() - t0) / 1_000_000);
    return run.ok();
  }

  private Exec.Result bash(Path where, String script) {
    Map<String, String> env = home == null ? Map.of() : Map.of("HOME", home.toString());
    return Exec.run(List.of("bash", "-c", script), env, where, Duration.ofMinutes(3)).ok();
  }

  /** A doc's docker/podman command, on the test's podman. */
  private String onPodman(String docCommand) {
    String command = subst(docCommand);
    for (String gpu : List.of(" --gpus all", " --device nvidia.com/gpu=all")) {
      command = command.replace(gpu, "");
    }
    command = command.replace(registry.host() + "/", "--tls-verify=false " + registry.host() + "/");
    return command.replaceFirst("^(docker|podman) ", podman.launcher() + " ");
  }

  /** A doc's ssh command, against the container's sshd on this machine. */
  private String onSsh(String docCommand) {
    return docCommand
        .replaceFirst("^ssh ", "ssh -F " + sshConfig + " ")
        .replaceAll("-p [0-9]+ ", "-p " + sshPort + " ")
        .replaceAll("root@[0-9.]+$", "root@127.0.0.1");
  }

  /** Polls the ssh command until it logs in (sshd starts with the container). */
  private Exec.Result login(String command) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    Exec.Result last = null;
    while (System.nanoTime() < deadline) {
      last = Exec.run(List.of("bash", "-c", command), Map.of(), project, Duration.ofSeconds(30));
      if (last.exitCode() == 0) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no SSH login within 40 s: " + last.describe());
  }

  private String sshRun(String remote) {
    return Exec.run(
            List.of(
                "ssh", "-F", sshConfig.toString(), "-p", "" + sshPort, "root@127.0.0.1", remote),
            Map.of(),
            project,
            Duration.ofSeconds(60))
        .ok()
        .stdout();
  }

  @Test
  void theDocumentedFlowRuns() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("ssh", "openssh-client");
    id = UUID.randomUUID().toString().substring(0, 8);
    name = "gpu-box-" + id;
    sshPort = LocalRegistry.freePort();
    podman = Podman.create(dir.resolve("podman"));
    home = Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(home.resolve("workspace"));
    Path key = Files.createDirectories(home.resolve(".ssh")).resolve("id_ed25519");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    Files.copy(key.resolveSibling("id_ed25519.pub"), home.resolve(".ssh/authorized_keys"));
    sshConfig = dir.resolve("ssh_config");
    Files.writeString(
        sshConfig,
        "Host *\n  IdentityFile "
            + key
            + "\n  IdentitiesOnly yes\n  BatchMode yes\n  StrictHostKeyChecking no\n"
            + "  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  ConnectTimeout 3\n");
    long start = System.nanoTime();
    try (LocalRegistry started = LocalRegistry.start(dir.resolve("registry"))) {
      registry = started;
      gettingStarted();
      marketPages();
    } finally {
      for (String c : containers) {
        podman.run("rm", "-f", "-t", "0", c);
      }
      podman.run("rmi", "-f", "localhost/" + name + ":0.1");
      podman.run(
          "rmi",
          "-f",
          "127.0.0.1:" + (registry == null ? 0 : registry.port()) + "/owner/" + name + ":0.1");
      System.out.printf("documented flow: %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
    }
  }

  private void gettingStarted() throws Exception {
    String page = "getting-started.md";
    // mkdir gpu-box && cd gpu-box: the project directory, named as the image.
    command(page, "mkdir gpu-box && cd gpu-box");
    project = dir.resolve(name);
    Files.createDirectories(project);
    rig(command(page, "rig init basic"), null);
    assertEquals(
        withoutComments(subst(block(page, "pkl", t -> t.contains("tag = \"latest\"")).text())),
        withoutComments(Files.readString(project.resolve("rig.pkl"))),
        "getting-started shows what `rig init basic` writes");
    assertTrue(Files.readString(project.resolve(".gitignore")).contains("out/"));
    assertTrue(Files.exists(project.resolve("README.md")));
    RigRun list = RigRun.of(List.of("init", "--list")).ok();
    for (String template :
        List.of(
            "basic", "services", "comfyui-style", "github-registry", "auth-key", "custom-home")) {
      assertTrue(list.stdout().contains(template + " "), template + " in `rig init --list`");
      assertTrue(
          read(page).contains("`" + template + "`"), page + " names the template " + template);
    }

    // The edited rig.pkl, then ci.pkl (see the class comment).
    Files.writeString(
        project.resolve("rig.pkl"),
        subst(block(page, "pkl", t -> t.contains("tag = \"0.1\"")).text()));
    Files.writeString(
        project.resolve("ci.pkl"),
        "amends \"rig.pkl\"\n\nimages {\n  [\""
            + name
            + "\"] {\n    cuda { enable = false }\n"
            + "    environment { core = false; dev = false; network = false; shell = false }\n"
            + "    runtime { sshd { port = "
            + sshPort
            + "; listenAddress = \"127.0.0.1\" } }\n  }\n}\n");

    RigRun build = rig(command(page, "rig build"), "ci.pkl");
    assertTrue(
        build.stdout().matches("(?s)" + Pattern.quote(name) + ":0\\.1 sha256:[0-9a-f]{64}\n"),
        build.describe());
    assertTrue(Files.isRegularFile(project.resolve("rig.lock")), "the first build writes rig.lock");
    assertTrue(Files.isRegularFile(project.resolve("out/index.json")), "an OCI layout in out/");
    rig(command(page, "rig lock"), "ci.pkl");
    rig(command(page, "rig update python3"), "ci.pkl");

    RigRun load = rig(command(page, "rig load"), "ci.pkl");
    assertTrue(load.stdout().startsWith("localhost/" + name + ":0.1 sha256:"), load.describe());
    String shellCommand = command(page, "rig shell gpu-box bash");
    RigRun shell =
        rig(
            shellCommand.replaceFirst(" bash$", "")
                + " -- bash -c 'echo pwd=$PWD; test -f rig.pkl && echo workspace-ok; command -v htop'",
            "ci.pkl");
    // rig-init's own lines interleave with the program's: look for the program's words.
    for (String expected : List.of("pwd=/workspace", "workspace-ok", "/usr/bin/htop")) {
      assertTrue(shell.stdout().contains(expected), expected + "\n" + shell.describe());
    }

    RigRun push = rig(command(page, "rig push --to ghcr.io/OWNER/gpu-box:0.1"), "ci.pkl");
    assertTrue(
        push.stdout().startsWith(registry.host() + "/owner/" + name + ":0.1@sha256:"),
        push.describe());
    // registries { ... } in the image, then rig build --push.
    Block registries = block(page, "pkl", t -> t.strip().startsWith("registries"));
    Files.writeString(
        project.resolve("ci-push.pkl"),
        "amends \"ci.pkl\"\n\nimages {\n  [\""
            + name
            + "\"] {\n"
            + subst(registries.text())
            + "  }\n}\n");
    RigRun buildPush = rig(command(page, "rig build --push"), "ci-push.pkl");
    assertTrue(
        buildPush.stdout().contains(registry.host() + "/owner/" + name + ":0.1@sha256:"),
        buildPush.describe());
  }

  private static String withoutComments(String pkl) {
    return pkl.lines()
        .map(l -> l.replaceAll("\\s*//.*$", ""))
        .filter(l -> !l.isBlank())
        .collect(Collectors.joining("\n"));
  }

  private void marketPages() throws Exception {
    String docker = "markets/docker-and-podman.md";
    // The docker run of the docker page (the image comes from the local registry), then getting
    // started's login and rig-init commands, runtime.md's inspection commands.
    String container = runContainer(docker, DockerRun.DOCKER);
    login(onSsh(command(docker, "ssh -p 2222 root@localhost")));
    login(onSsh(command("getting-started.md", "ssh -p 41022 root@203.0.113.7")));
    String status = sshRun(command("getting-started.md", "/usr/lib/rig/rig-init status"));
    assertTrue(status.contains("sshd"), status);
    String doctor = sshRun(command("getting-started.md", "/usr/lib/rig/rig-init doctor"));
    assertTrue(doctor.toLowerCase().contains("shm"), doctor);
    assertTrue(sshRun(command("runtime.md", "/usr/lib/rig/rig-init status")).contains("sshd"));
    JsonNode json =
        new ObjectMapper()
            .readTree(sshRun(command("runtime.md", "/usr/lib/rig/rig-init status --json")));
    assertTrue(json.toString().contains("sshd"), json.toString());
    assertFalse(sshRun(command("runtime.md", "/usr/lib/rig/rig-init doctor")).isBlank());
    String validate = sshRun(command("runtime.md", "/usr/lib/rig/rig-init validate"));
    assertTrue(validate.contains("/etc/rig/runtime.json: ok, start order"), validate);
    String tools = sshRun("command -v htop; python3 -m pip --version");
    assertTrue(tools.contains("/usr/bin/htop") && tools.contains("pip "), tools);
    // The inline `docker exec gpu-box /usr/lib/rig/rig-init doctor` of the docker page.
    assertTrue(read(docker).contains("`docker exec gpu-box /usr/lib/rig/rig-init doctor`"));
    assertFalse(
        podman.run("exec", container, "/usr/lib/rig/rig-init", "doctor").ok().stdout().isBlank());

    Exec.Result logged = bash(project, onPodman(command(docker, "docker logs gpu-box")));
    String logs = logged.stdout() + logged.stderr();
    assertTrue(logs.contains("added 1 from PUBLIC_KEY"), logs);
    assertTrue(logs.contains("/dev/shm is 16.0 GiB"), logs);
    checkStartupSteps(logs);
    checkEntrypoint(container);
    stop(docker, container);

    // The podman page's and the Lambda page's commands: same image, same login.
    for (String[] run :
        new String[][] {
          {docker, DockerRun.PODMAN}, {"markets/lambda-and-bare-metal.md", DockerRun.LAMBDA}
        }) {
      String c = runContainer(run[0], run[1]);
      login(onSsh(command(docker, "ssh -p 2222 root@localhost")));
      stop(docker, c);
    }

    checkMarketLines();
    vastOnStart();
  }

  private String runContainer(String page, String docCommand) {
    command(page, docCommand);
    bash(project, onPodman(docCommand));
    containers.add(name);
    return name;
  }

  private void stop(String page, String container) {
    bash(project, onPodman(command(page, "docker stop -t 30 gpu-box")));
    String code = podman.run("inspect", container, "--format", "{{.State.ExitCode}}").ok().stdout();
    assertEquals("0", code.strip(), "rig-init exits 0 on SIGTERM");
    podman.run("rm", "-f", container).ok();
    containers.remove(container);
  }

  /** runtime.md's startup steps, in its order, are the lines the container printed. */
  private static void checkStartupSteps(String logs) {
    String startup = read("runtime.md").split("## Startup")[1].split("\n## ")[0];
    Matcher step = Pattern.compile("(?m)^\\d+\\. \\*\\*([a-z-]+)\\*\\*").matcher(startup);
    int at = 0;
    int n = 0;
    while (step.find()) {
      n++;
      int found = logs.indexOf("rig-init: " + step.group(1) + ": ", at);
      assertTrue(
          found >= 0, "runtime.md's step " + step.group(1) + " (in order) is not in\n" + logs);
      at = found;
    }
    assertEquals(12, n, "runtime.md's startup steps");
  }

  private void checkEntrypoint(String container) throws Exception {
    Block text = block("runtime.md", "", t -> t.startsWith("ENTRYPOINT "));
    String documented = text.text().lines().findFirst().orElseThrow().substring(11).strip();
    String actual =
        podman
            .run(
                "image",
                "inspect",
                registry.host() + "/owner/" + name + ":0.1",
                "--format",
                "{{json .Config.Entrypoint}}")
            .ok()
            .stdout();
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(documented), json.readTree(actual), "runtime.md's ENTRYPOINT");
  }

  /** Each documented `rig-init: market:` line is what the container prints with those variables. */
  private void checkMarketLines() {
    Pattern line =
        Pattern.compile(
            "rig-init: market: (vast\\.ai|RunPod), public IP (\\S+), ports 22->(\\d+); ssh -p \\3"
                + " root@\\2");
    int checked = 0;
    for (Block block : allBlocks().filter(b -> b.lang().isEmpty()).toList()) {
      String first = block.text().strip();
      if (!first.startsWith("rig-init: market: ")) {
        continue;
      }
      Matcher m = line.matcher(first);
      assertTrue(m.matches(), block.where() + ": " + first);
      List<String> env =
          m.group(1).equals("vast.ai")
              ? List.of("VAST_TCP_PORT_22=" + m.group(3), "PUBLIC_IPADDR=" + m.group(2))
              : List.of(
                  "RUNPOD_POD_ID=doc",
                  "RUNPOD_PUBLIC_IP=" + m.group(2),
                  "RUNPOD_TCP_PORT_22=" + m.group(3));
      List<String> args = new ArrayList<>(List.of("run", "--rm", "--tls-verify=false"));
      env.forEach(e -> args.addAll(List.of("-e", e)));
      args.addAll(List.of(registry.host() + "/owner/" + name + ":0.1", "true"));
      Exec.Result run = podman.run(Duration.ofMinutes(2), args.toArray(String[]::new)).ok();
      assertTrue(
          (run.stdout() + run.stderr()).contains(first),
          block.where() + ": the container did not print\n" + first + "\n" + run.describe());
      checked++;
    }
    assertEquals(3, checked, "market lines in getting-started, runpod and vastai");
  }

  /**
   * vast.ai's on-start line in a container whose entrypoint is replaced, with port N already taken
   * (as vast.ai's own sshd takes 22): rig-init starts and leaves sshd out.
   */
  private void vastOnStart() throws Exception {
    String onStart = command("markets/vastai.md", "/usr/lib/rig/rig-init run &");
    try (ServerSocket platformSshd =
        new ServerSocket(sshPort, 5, InetAddress.getByName("127.0.0.1"))) {
      String c = name + "-vast";
      podman
          .run(
              "run",
              "-d",
              "--name",
              c,
              "--tls-verify=false",
              "--entrypoint",
              "/bin/bash",
              registry.host() + "/owner/" + name + ":0.1",
              "-c",
              onStart + "\nwait")
          .ok();
      containers.add(c);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String logs = "";
      while (System.nanoTime() < deadline && !logs.contains("not starting rig's sshd")) {
        Thread.sleep(200);
        Exec.Result r = podman.run("logs", c);
        logs = r.stdout() + r.stderr();
      }
      assertTrue(logs.contains("not starting rig's sshd"), logs);
      assertTrue(logs.contains("rig-init: environment: "), logs);
      podman.run("rm", "-f", "-t", "0", c).ok();
      containers.remove(c);
    }
  }
}
