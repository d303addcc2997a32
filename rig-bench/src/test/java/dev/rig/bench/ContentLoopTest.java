package dev.rig.bench;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Unit;
import dev.rig.bench.Table.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure pieces of the content-loop rows: goals, units, du, rig's JSON, /proc, specs. */
class ContentLoopTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();

  @Test
  void judgesRatioGoalsAgainstTheReferenceAndLimitsAgainstRigsFigure() {
    Goal ratio = Goal.ratioAtMost(0.8);
    assertEquals("≤ 0.8×", ratio.text());
    assertEquals(Verdict.YES, ratio.judge(OptionalDouble.of(8), OptionalDouble.of(10)));
    assertEquals(Verdict.NO, ratio.judge(OptionalDouble.of(8.1), OptionalDouble.of(10)));
    assertEquals("≤ 1.0×", Goal.ratioAtMost(1.0).text());
    Goal limit = Goal.atMost(15, "≤ 15 s");
    assertEquals(Verdict.YES, limit.judge(OptionalDouble.of(15), NONE));
    assertEquals(Verdict.NO, limit.judge(OptionalDouble.of(15.01), NONE));
  }

  /**
   * The cold build's row says how busy the machine was on each side: /proc/stat's first line, in
   * ticks of 1/100 s, busy being user, nice, system, irq, softirq and steal.
   */
  @Test
  void readsBusyAndIdleCoreSecondsFromProcStat() {
    CpuTime start = CpuTime.parse("cpu  1000 0 500 8000 200 0 50 0 0 0").orElseThrow();
    CpuTime end = CpuTime.parse("cpu  9050 100 1700 8300 300 0 100 100 0 0").orElseThrow();
    CpuTime.Spent spent = end.since(start);
    assertEquals(new CpuTime.Spent(95.0, 4.0), spent);
    assertEquals("95 busy / 4 idle core-s", spent.text());
    assertEquals(new CpuTime.Spent(190.0, 8.0), spent.plus(spent));
    assertTrue(CpuTime.parse("intr 1 2 3").isEmpty());
    assertTrue(CpuTime.now().isPresent(), "/proc/stat is readable on Linux");
  }

  @Test
  void aFigureNotTakenIsNotApplicableNeverMet() {
    assertEquals(Verdict.NOT_MEASURED, Goal.atMost(1, "≤ 1 s").judge(NONE, NONE));
    assertEquals(Verdict.NOT_MEASURED, Goal.ratioAtMost(0.8).judge(OptionalDouble.of(3), NONE));
    assertEquals("n/a", Verdict.NOT_MEASURED.text);
    assertEquals("n/a", LoopMath.orNa(NONE, v -> "x"));
  }

  @Test
  void printsBytesAndCountsInTheirUnitsWithTheRatio() {
    Table table = new Table();
    table.add(
        new Row(
            "footprint",
            OptionalDouble.of(70_254_592),
            "runtime",
            OptionalDouble.of(35_127_296),
            "",
            "≤ 20 MiB",
            Verdict.NO,
            Unit.MIB));
    table.add(new Row("lines", OptionalDouble.of(51), "", NONE, "", "", Verdict.NONE, Unit.COUNT));
    table.add(
        new Row("growth", OptionalDouble.of(301e6), "", NONE, "", "≤ 300 MB", Verdict.NO, Unit.MB));
    List<String> lines = table.markdown().lines().toList();
    assertTrue(
        lines
            .get(2)
            .matches("\\| footprint +\\| 67\\.0 MiB \\(runtime\\) +\\| 33\\.5 MiB +\\| 2\\.00× .*"),
        lines.get(2));
    assertTrue(lines.get(3).contains("| 51 "), lines.get(3));
    assertTrue(lines.get(4).contains("| 301.0 MB "), lines.get(4));
    assertTrue(lines.get(4).endsWith("| **no** |"), lines.get(4));
  }

  @Test
  void countsHardLinkedFilesOnce(@TempDir Path dir) throws Exception {
    Path a = Files.write(dir.resolve("a"), new byte[1000]);
    Files.createDirectories(dir.resolve("sub"));
    Files.createLink(dir.resolve("sub/a-again"), a);
    Files.write(dir.resolve("sub/b"), new byte[300]);
    Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
    long symlink =
        Files.readAttributes(dir.resolve("link"), BasicFileAttributes.class, NOFOLLOW_LINKS).size();
    assertEquals(1000 + 300 + symlink, DiskUsage.of(dir));
    assertEquals(0, DiskUsage.of(dir.resolve("missing")));
  }

  @Test
  void readsDigestsLayersAndPhasesFromBuildJson() throws Exception {
    String json =
        "{\"output\":\"oci:/x\",\"images\":[{\"name\":\"gpu\",\"reference\":\"gpu:cuda12.4\","
            + "\"digest\":\"sha256:4fee4db694cc83b17aa26c\",\"layers\":{\"own\":["
            + "{\"createdBy\":\"packages: openjdk-21 (openjdk-21-jre-headless=21)\","
            + "\"origin\":\"built\",\"digest\":\"sha256:1\",\"bytes\":67740305},"
            + "{\"createdBy\":\"packages: 88 more sources (libjpeg-turbo java-common)\","
            + "\"origin\":\"built\",\"digest\":\"sha256:2\",\"bytes\":6653987},"
            + "{\"createdBy\":\"rig-init runtime (tini, rig-init, /etc/rig/runtime.json)\","
            + "\"origin\":\"built\",\"digest\":\"sha256:3\",\"bytes\":2405745}]}}],"
            + "\"phases\":[{\"scope\":\"gpu\",\"phase\":\"download\",\"seconds\":1.5,\"cached\":true},"
            + "{\"scope\":\"gpu\",\"phase\":\"install\",\"seconds\":70.0,\"cached\":false,"
            + "\"steps\":[{\"name\":\"configure\",\"seconds\":40.0},{\"name\":\"triggers\","
            + "\"seconds\":9.5}]}]}";
    BuildReport report = BuildReport.parse(json);
    assertEquals("sha256:4fee4db694cc83b17aa26c", report.image("gpu").orElseThrow().digest());
    assertEquals(
        List.of("download", "install", "install/configure", "install/triggers"),
        report.phases().stream().map(BuildReport.Phase::name).toList());
    assertTrue(report.phases().get(0).cached());
    assertEquals(71.5, report.topLevelSeconds(), 1e-9);

    Footprint.Layers runtime = Footprint.runtimeLayers(report.images().get(0).layers());
    assertEquals(List.of("packages: openjdk-21", "rig-init runtime"), runtime.names());
    assertEquals(67740305 + 2405745, runtime.bytes());
    assertFalse(Footprint.isRuntimeLayer("packages: libjpeg-turbo (libjpeg62-turbo=1)"));
    assertTrue(Footprint.isRuntimeLayer("rig-init java runtime (jlink: java.base)"));
  }

  @Test
  void findsTheProcessThatStartedSshdAndItsMemory() {
    String grep =
        "/proc/1/status:Name:\ttini\n/proc/1/status:PPid:\t0\n/proc/1/status:VmRSS:\t     900 kB\n"
            + "/proc/7/status:Name:\tjava\n/proc/7/status:PPid:\t1\n"
            + "/proc/7/status:VmRSS:\t   58112 kB\n"
            + "/proc/20/status:Name:\tsshd\n/proc/20/status:PPid:\t7\n"
            + "/proc/20/status:VmRSS:\t    5000 kB\n"
            + "/proc/31/status:Name:\tsshd-session\n/proc/31/status:PPid:\t20\n"
            + "/proc/31/status:VmRSS:\t    6000 kB\n"
            + "/proc/40/status:Name:\tgrep\n/proc/40/status:PPid:\t0\n";
    ProcessTable.Entry init = ProcessTable.parse(grep).sshdSupervisor().orElseThrow();
    assertEquals(7, init.pid());
    assertEquals("java", init.name());
    assertEquals(58112L * 1024, init.rssBytes());
    assertTrue(ProcessTable.parse("/proc/1/status:Name:\ttini\n").sshdSupervisor().isEmpty());
  }

  @Test
  void mediansTimingsAndReadsRigCacheTotals() {
    assertEquals(
        0.35, LoopMath.median(LoopMath.timings("0.41\n0.35\nnoise\n0.30\n")).getAsDouble());
    assertTrue(LoopMath.median(List.of()).isEmpty());
    assertEquals(5e9, LoopMath.cacheTotal("{\"totalBytes\":5000000000}").getAsDouble());
    assertEquals(7.0, LoopMath.cacheTotal("{\"total\":{\"bytes\":7}}").getAsDouble());
    assertTrue(LoopMath.cacheTotal("{\"kinds\":[]}").isEmpty());
    assertTrue(LoopMath.cacheTotal("not json").isEmpty());
    assertEquals("38% of the build", LoopMath.share(38, 100));
    assertEquals("sha256:4fee4db694cc", LoopMath.shortDigest("sha256:4fee4db694cc83b17aa26c"));
  }

  @Test
  void readsTheTagSkopeoAddressesFromTheLayoutIndex() throws Exception {
    String index =
        "{\"manifests\":[{\"digest\":\"sha256:1\",\"annotations\":"
            + "{\"org.opencontainers.image.ref.name\":\"gpu:cuda12.4\"}}]}";
    assertEquals("gpu:cuda12.4", LoopMath.refName(new ObjectMapper().readTree(index)));
  }

  @Test
  void amendsTheExampleInsteadOfEditingIt() {
    String added = LoopSpecs.withPackage("example.pkl", "gpu", "htop");
    assertTrue(added.contains("amends \"example.pkl\""), added);
    assertTrue(added.contains("[\"gpu\"] {\n    packages { \"htop\" }"), added);
    String ssh = LoopSpecs.withLoopbackSshd("example.pkl", "gpu", 40022);
    assertTrue(ssh.contains("sshd { port = 40022; listenAddress = \"127.0.0.1\" }"), ssh);
  }

  @Test
  void namesDebsAsAptsArchiveDoesAndTakesTheComponentFromThePool() {
    MmdebstrapUmoci.Package p =
        new MmdebstrapUmoci.Package(
            "git", "1:2.47.3-0+deb13u1", "amd64", "pool/main/g/git/git_2.47.3.deb", "ab");
    assertEquals("git_1%3a2.47.3-0+deb13u1_amd64.deb", p.archiveName());
    assertEquals("main", p.component());
    assertEquals(
        "non-free",
        new MmdebstrapUmoci.Package("libcublas12", "1", "amd64", "pool/non-free/n/x.deb", "cd")
            .component());
  }

  @Test
  void loopOptionsParse() {
    assertTrue(Bench.Options.parse(new String[] {"--loop"}).loopOnly());
    assertTrue(Bench.Options.parse(new String[] {"--loop"}).seedDebs().isEmpty());
  }
}
