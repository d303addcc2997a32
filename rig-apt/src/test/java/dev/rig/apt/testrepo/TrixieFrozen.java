package dev.rig.apt.testrepo;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Dependency;
import dev.rig.apt.control.DependencyParser;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import dev.rig.apt.control.Stanza;
import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.IndexFiles;
import dev.rig.apt.repo.ReleaseFile;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.apt.repo.SuiteReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * A frozen slice of Debian trixie (main + non-free, amd64): the test resource {@code
 * trixie-frozen/Packages.xz} holds every package that the {@link #REQUESTS} and the Essential set
 * can reach, so that the apt oracle and rig's resolver see the same, never-changing indexes.
 *
 * <p>{@link #main} made the resource once, from the mirror configured in /etc/apt (read at that
 * time only; no host is written anywhere). To refresh it, build the test classes and run:
 *
 * <pre>
 * ./mvnw -B -o -q dependency:build-classpath -pl rig-apt -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp rig-apt/target/classes:rig-apt/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.rig.apt.testrepo.TrixieFrozen rig-apt/src/test/resources/trixie-frozen
 * </pre>
 *
 * <p>The closure: starting from the requested names ({@link #REQUESTS} and {@link #DIVERGENT}) and
 * every Essential: yes package, each name brings in all versions of the package of that name and
 * every package that Provides it; each package brought in adds the names in its Depends,
 * Pre-Depends and Provides, followed the same way. Packages named by a Conflicts or Breaks of a
 * package in the closure are added too, so that the relation has its target, but not followed
 * further (that would pull in most of the archive). Recommends are not followed: both sides resolve
 * without them. Only the fields that resolution and download need are kept.
 */
public final class TrixieFrozen {
  private TrixieFrozen() {}

  /** The resource directory, on the test class path. */
  public static final String RESOURCE = "/trixie-frozen/Packages.xz";

  /** The requests the fixture is made for, and that TrixieFrozenOracleTest checks. */
  public static final List<List<String>> REQUESTS =
      List.of(
          List.of("openssh-server", "python3", "libcudart12"),
          List.of("curl", "git", "tmux"),
          // alternatives (default-mta | mail-transport-agent) and a virtual name, default-mta
          List.of("bsd-mailx"),
          // the same alternative satisfied through Provides by a requested MTA, in both orders
          List.of("postfix", "bsd-mailx"),
          List.of("bsd-mailx", "postfix"),
          List.of("dma", "bsd-mailx"),
          List.of("ssmtp", "mutt"),
          List.of("exim4", "mutt"),
          // a virtual name with a single provider: apt selects it
          List.of("default-mta"),
          // virtual names with several providers: apt asks the user to choose, and so does rig
          List.of("mail-transport-agent"),
          List.of("awk"),
          // a real awk and a virtual-first alternative (www-browser)
          List.of("mawk", "w3m"),
          // Pre-Depends alternatives: systemd-sysv | sysvinit-core | runit-init ...
          List.of("init"),
          List.of("runit-init", "cron"),
          // two MTAs that conflict through mail-transport-agent: no solution
          List.of("postfix", "exim4"),
          // sysvinit-core conflicts with what libpam-systemd needs: no solution
          List.of("sysvinit-core", "libpam-systemd"),
          // needs nvidia-support, which is in contrib, outside the frozen indexes: no solution
          List.of("nvidia-cuda-toolkit"),
          List.of("python3=3.13.5-1", "libpam-systemd"),
          List.of("python3-pip"),
          List.of("build-essential"),
          List.of("default-jre-headless"),
          List.of("nginx", "iptables", "ifupdown"),
          List.of("apt", "rsyslog", "logrotate"),
          List.of("vim", "sudo", "cron"));

  /** The requests of {@link #REQUESTS} that have no solution, for apt as for rig. */
  public static final List<List<String>> UNSOLVABLE =
      List.of(
          List.of("mail-transport-agent"),
          List.of("awk"),
          List.of("postfix", "exim4"),
          List.of("sysvinit-core", "libpam-systemd"),
          List.of("nvidia-cuda-toolkit"));

  /**
   * Requests on which rig and apt are known to choose differently (see TrixieFrozenOracleTest,
   * which pins the exact differences); in the fixture so that their closure is complete.
   */
  public static final List<List<String>> DIVERGENT =
      List.of(List.of("python3-pynvim"), List.of("upower"), List.of("libtk-img"));

  static final List<String> KEEP =
      List.of(
          "Package",
          "Source",
          "Version",
          "Architecture",
          "Multi-Arch",
          "Essential",
          "Priority",
          "Pre-Depends",
          "Depends",
          "Recommends",
          "Provides",
          "Conflicts",
          "Breaks",
          "Replaces",
          "Installed-Size",
          "Filename",
          "Size",
          "SHA256");

  private static final List<String> FOLLOW = List.of("Depends", "Pre-Depends", "Provides");

  private static final List<String> MENTION = List.of("Conflicts", "Breaks");

  /** The fixture's Packages text, decompressed. */
  public static String packagesText() throws IOException {
    try (InputStream raw = TrixieFrozen.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IOException("missing test resource " + RESOURCE);
      }
      try (InputStream in = new XZInputStream(raw)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** The fixture's packages. */
  public static List<PackageRecord> packages() throws IOException {
    return PackageRecord.parseIndex(RESOURCE, packagesText());
  }

  /** Makes the fixture: {@code args[0]} is the output directory. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    SourceEntry system =
        AptSources.readSystem(Path.of("/etc/apt")).stream()
            .filter(e -> e.type().equals("deb") && e.signedBy().isPresent())
            .filter(e -> e.components().contains("main"))
            .findFirst()
            .orElseThrow(() -> new IOException("no signed deb source with main in /etc/apt"));
    SourceEntry trixie =
        new SourceEntry(
            "deb",
            system.uri(),
            "trixie",
            List.of("main", "non-free"),
            java.util.Optional.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
            Map.of());
    SuiteReader reader = Fetchers.reader(trixie);
    ReleaseFile release = reader.release();
    RepositoryFetcher fetcher = Fetchers.forUri(trixie.uri());
    List<Stanza> all = new ArrayList<>();
    StringBuilder origin = new StringBuilder();
    origin.append("Suite: trixie\n");
    origin.append("Codename: ").append(release.codename().orElse("?")).append('\n');
    for (String component : List.of("main", "non-free")) {
      String path = component + "/binary-amd64/Packages.xz";
      ReleaseFile.FileEntry entry = release.entry(path).orElseThrow();
      byte[] bytes =
          fetcher
              .fetch("dists/trixie/" + path)
              .orElseThrow(() -> new IOException("cannot fetch " + path));
      byte[] ok = IndexFiles.verified(release, "trixie InRelease", path, bytes);
      String text = new String(IndexFiles.decompress(path, ok), StandardCharsets.UTF_8);
      all.addAll(ControlParser.parse(path, text));
      origin.append(path).append(" SHA256 ").append(entry.sha256()).append('\n');
    }

    Map<String, List<Stanza>> byName = new HashMap<>();
    Map<String, List<Stanza>> providers = new HashMap<>();
    for (Stanza s : all) {
      byName.computeIfAbsent(s.require("Package"), k -> new ArrayList<>()).add(s);
      for (String n : names(s, "Provides")) {
        providers.computeIfAbsent(n, k -> new ArrayList<>()).add(s);
      }
    }
    Deque<String> work = new ArrayDeque<>();
    REQUESTS.forEach(work::addAll);
    DIVERGENT.forEach(work::addAll);
    for (Stanza s : all) {
      if (s.get("Essential").map(v -> v.strip().equals("yes")).orElse(false)) {
        work.add(s.require("Package"));
      }
    }
    Set<String> seenNames = new HashSet<>();
    Set<Stanza> included = new LinkedHashSet<>();
    Set<String> mentioned = new TreeSet<>();
    while (!work.isEmpty()) {
      String name = work.poll();
      if (!seenNames.add(name)) {
        continue;
      }
      List<Stanza> hits = new ArrayList<>(byName.getOrDefault(name, List.of()));
      hits.addAll(providers.getOrDefault(name, List.of()));
      for (Stanza s : hits) {
        if (included.add(s)) {
          for (String field : FOLLOW) {
            work.addAll(names(s, field));
          }
          for (String field : MENTION) {
            mentioned.addAll(names(s, field));
          }
        }
      }
    }
    // Named by Conflicts or Breaks but not reachable: present, so that the relation has a
    // target, but not followed further (following them would pull in most of the archive).
    for (String name : mentioned) {
      included.addAll(byName.getOrDefault(name, List.of()));
      included.addAll(providers.getOrDefault(name, List.of()));
    }
    StringBuilder text = new StringBuilder();
    for (Stanza s : all) {
      if (!included.contains(s)) {
        continue;
      }
      for (String field : KEEP) {
        s.get(field)
            .ifPresent(
                v -> text.append(field).append(": ").append(v.replace("\n", "\n ")).append('\n'));
      }
      text.append('\n');
    }
    Files.createDirectories(out);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream xz = new XZOutputStream(buf, new LZMA2Options(9))) {
      xz.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    Files.write(out.resolve("Packages.xz"), buf.toByteArray());
    origin.append("Packages: ").append(included.size()).append('\n');
    Files.writeString(out.resolve("ORIGIN"), origin.toString());
    System.out.println(
        included.size() + " packages, " + buf.size() + " bytes xz, " + text.length() + " plain");
    // a sanity check: the fixture parses as rig reads it
    System.out.println(PackageRecord.parseIndex("fixture", text.toString()).size() + " parsed");
  }

  private static Set<String> names(Stanza s, String field) {
    Set<String> out = new TreeSet<>();
    for (Dependency d : s.get(field).map(DependencyParser::parse).orElse(List.of())) {
      for (PackageRef ref : d.alternatives()) {
        out.add(ref.name());
      }
    }
    return out;
  }
}
