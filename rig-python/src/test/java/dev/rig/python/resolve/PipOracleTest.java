package dev.rig.python.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.python.index.IndexClient;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.lock.LockedWheel;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import dev.rig.testkit.WheelIndex;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip is the oracle for rig's wheel resolver, as apt is for Debian packages: for every request
 * below, rig (reading the index as PEP 691 JSON and as PEP 503 HTML) must choose exactly the files
 * that {@code pip install --dry-run --only-binary=:all: --report} chooses against the same local
 * index, or fail where pip fails. The target is the host's own Debian CPython, so that pip
 * evaluates markers and tags for the same interpreter rig is told about.
 */
class PipOracleTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request, and a piece of rig's message when pip is expected to fail. */
  record Case(List<String> requirements, String failureHint) {
    static Case ok(String... requirements) {
      return new Case(List.of(requirements), "");
    }

    static Case fails(String hint, String... requirements) {
      return new Case(List.of(requirements), hint);
    }
  }

  private static final List<Case> CASES =
      List.of(
          Case.ok("purelib"),
          Case.ok("purelib<2"),
          Case.ok("purelib==3.0"),
          Case.ok("purelib>=2.1rc1"),
          Case.fails("purelib", "purelib>2.0"),
          Case.ok("purelib==1.*"),
          Case.ok("PureLib!=2.0,>=1.1"),
          Case.ok("purelib~=1.0"),
          Case.ok("cext"),
          Case.ok("cext<1.1"),
          Case.ok("cabi"),
          Case.ok("markerdep"),
          Case.ok("markerdep", "purelib<2"),
          Case.ok("extraspkg"),
          Case.ok("extraspkg[fast]"),
          Case.ok("extraspkg[cli,fast]"),
          Case.ok("needsextra"),
          Case.ok("app", "lib<2"),
          Case.ok("alpha"),
          Case.ok("alpha", "gamma<2"),
          Case.fails("lib", "app==3.0", "lib<2"),
          Case.fails("only a source distribution", "srconly"),
          Case.fails("other platforms", "otherplat"),
          Case.ok("newpy"),
          Case.ok("metapy"),
          Case.ok("localver==1.0"),
          Case.ok("localver>1.0"),
          Case.ok("localver<=1.0"),
          Case.ok("epochy"),
          Case.ok("epochy<2"),
          Case.ok("Dotted_Name"),
          Case.ok("purelib ; python_version < '3'", "cabi"),
          Case.ok("needsmissing"),
          Case.ok("cext ; platform_machine == 'x86_64'", "extraspkg[fast] (>=1.0)"));

  private static WheelIndex index;
  private static PythonTarget target;

  @BeforeAll
  static void serve() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail(
          "/usr/bin/python3 is missing; run `bash scripts/setup` (Debian packages python3, python3-pip)");
    }
    Tools.require("pip3", "python3-pip");
    index = WheelIndex.start();
    OracleUniverse.fill(index);
    String[] host =
        Exec.run(
                List.of(
                    PYTHON.toString(),
                    "-c",
                    "import platform; print(platform.python_version(), platform.libc_ver()[1])"),
                Map.of(),
                null,
                Duration.ofSeconds(30))
            .ok()
            .stdout()
            .strip()
            .split(" ");
    target = PythonTarget.of(host[0], "amd64", host[1]);
  }

  @AfterAll
  static void stop() {
    if (index != null) {
      index.close();
    }
  }

  @Test
  void rigChoosesWhatPipChooses(@TempDir Path dir) throws Exception {
    List<PipRun> pips = runPip(dir);
    WheelResolver resolver = new WheelResolver(IndexClient.standard());
    int agreed = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < CASES.size(); i++) {
      Case c = CASES.get(i);
      String oracle = pipAnswer(pips.get(i));
      boolean same = true;
      for (URI form : List.of(index.json(), index.html())) {
        String rig = rigAnswer(resolver, c, form);
        if (!rig.equals(oracle)) {
          same = false;
          disagreements.add(
              c.requirements() + " via " + form + "\n  rig: " + rig + "\n  pip: " + oracle);
        }
      }
      agreed += same ? 1 : 0;
      if (!c.failureHint().isEmpty()) {
        try {
          resolver.resolve(c.requirements(), target, List.of(PackageIndex.of(index.json())));
          fail(c.requirements() + " should not resolve");
        } catch (ResolutionException e) {
          assertTrue(
              e.getMessage().contains(c.failureHint()),
              "the message for "
                  + c.requirements()
                  + " should mention '"
                  + c.failureHint()
                  + "':\n"
                  + e.getMessage());
        }
      }
    }
    System.out.println("pip oracle: rig agreed on " + agreed + " of " + CASES.size() + " requests");
    assertEquals(List.of(), disagreements, "rig and pip disagree");
    assertEquals(CASES.size(), agreed);
  }

  /** What pip did for one request: its exit code, its report and its error output. */
  record PipRun(int exitCode, Path report, String stderr) {}

  /**
   * Runs pip for every case, in two interpreters side by side (one per core), each running pip's
   * resolver once per request so that pip's start-up is paid twice, not once per request. pip reads
   * the JSON form of the index for even cases and the HTML form for odd ones.
   */
  private static List<PipRun> runPip(Path dir) throws Exception {
    Path driver = dir.resolve("pip_oracle.py");
    try (InputStream in = PipOracleTest.class.getResourceAsStream("pip_oracle.py")) {
      Files.copy(in, driver);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Exec.Result>> batches = new ArrayList<>();
    for (int batch = 0; batch < 2; batch++) {
      List<List<String>> requests = new ArrayList<>();
      for (int i = batch; i < CASES.size(); i += 2) {
        URI url = i % 2 == 0 ? index.json() : index.html();
        requests.add(
            pipArguments(url, dir.resolve("report-" + i + ".json"), CASES.get(i).requirements()));
      }
      Path list = dir.resolve("requests-" + batch + ".json");
      JSON.writeValue(list.toFile(), requests);
      List<String> command = List.of(PYTHON.toString(), driver.toString(), list.toString());
      batches.add(
          pool.submit(() -> Exec.run(command, Map.of(), dir, Duration.ofSeconds(120)).ok()));
    }
    for (Future<Exec.Result> batch : batches) {
      batch.get();
    }
    pool.shutdown();
    List<PipRun> runs = new ArrayList<>();
    for (int i = 0; i < CASES.size(); i++) {
      Path report = dir.resolve("report-" + i + ".json");
      String stderr = Files.readString(dir.resolve("report-" + i + ".json.err"));
      runs.add(new PipRun(Files.exists(report) ? 0 : 1, report, stderr));
    }
    return runs;
  }

  private static List<String> pipArguments(URI url, Path report, List<String> requirements) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "install",
                "--dry-run",
                "--ignore-installed",
                "--only-binary=:all:",
                "--break-system-packages",
                "--isolated",
                "--no-cache-dir",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
                "--index-url",
                url.toString(),
                "--report",
                report.toString()));
    command.addAll(requirements);
    return command;
  }

  /** "name==version file" per chosen wheel, sorted, or "FAILED". */
  private String rigAnswer(WheelResolver resolver, Case c, URI form) throws Exception {
    try {
      Resolution resolution =
          resolver.resolve(c.requirements(), target, List.of(PackageIndex.of(form)));
      Map<String, String> chosen = new TreeMap<>();
      for (LockedWheel w : resolution.wheels()) {
        chosen.put(w.name(), w.version() + " " + w.filename());
      }
      return chosen.toString();
    } catch (ResolutionException e) {
      return "FAILED";
    }
  }

  private static String pipAnswer(PipRun pip) throws Exception {
    if (!Files.exists(pip.report())) {
      if (!pip.stderr().contains("ResolutionImpossible")
          && !pip.stderr().contains("No matching distribution")) {
        fail("pip failed for a reason other than resolution:\n" + pip.stderr());
      }
      return "FAILED";
    }
    Path report = pip.report();
    JsonNode root = JSON.readTree(report.toFile());
    Map<String, String> chosen = new TreeMap<>();
    for (JsonNode item : root.path("install")) {
      String name =
          item.path("metadata").path("name").asText().toLowerCase().replaceAll("[-_.]+", "-");
      String url = item.path("download_info").path("url").asText();
      chosen.put(
          name,
          item.path("metadata").path("version").asText()
              + " "
              + URI.create(url).getPath().replaceFirst(".*/", ""));
    }
    return chosen.toString();
  }
}
