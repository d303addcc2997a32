package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.Rig;
import dev.rig.build.RigSettings;
import dev.rig.build.cache.GcLimits;
import dev.rig.build.cache.GcReport;
import dev.rig.build.cache.KindTotal;
import dev.rig.build.event.Sizes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rig cache gc}: removes what no recent build used, then the least recently used. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description =
        "Removes leftovers of interrupted builds and what no recent build used, then the least"
            + " recently built images' entries until the cache is at most --max-size and its"
            + " disk has --min-free free. Waits for builds running on the same cache.")
final class CacheGcCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin CacheDirOption cache;

  @Option(
      names = "--max-size",
      paramLabel = "SIZE",
      description =
          "Largest the cache may stay, e.g. 20G or 500M (default: $RIG_CACHE_MAX or 20G).")
  String maxSize;

  @Option(
      names = "--min-free",
      paramLabel = "SIZE",
      description = "Free space to leave on the cache's disk (default: $RIG_CACHE_MIN_FREE or 5G).")
  String minFree;

  @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    GcLimits limits =
        GcLimits.of(Optional.ofNullable(maxSize), Optional.ofNullable(minFree), System.getenv());
    PrintWriter err = command.commandLine().getErr();
    GcReport report;
    try (Rig rig =
        Rig.open(RigSettings.defaults(cache.cacheDir()).withListener(Progress.to(err)))) {
      report = rig.collectCache(limits, dryRun);
    }
    PrintWriter out = command.commandLine().getOut();
    out.println(json ? toJson(report) : text(report));
    out.flush();
    return 0;
  }

  static String text(GcReport report) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%s %d entr%s, %s freed on disk: cache %s -> %s (cap %s, %s kept free; %s free"
                + " now)%n",
            report.dryRun() ? "would remove" : "removed",
            report.removed().size(),
            report.removed().size() == 1 ? "y" : "ies",
            Sizes.bytes(report.freed()),
            Sizes.bytes(report.sizeBefore()),
            Sizes.bytes(report.sizeAfter()),
            Sizes.bytes(report.limits().maxBytes()),
            Sizes.bytes(report.limits().minFreeBytes()),
            Sizes.bytes(report.freeAfter())));
    // Hundreds of .debs go at once: one line per kind and reason, every entry in --json.
    Map<String, long[]> groups = new LinkedHashMap<>();
    for (GcReport.Removed removed : report.removed()) {
      long[] group =
          groups.computeIfAbsent(removed.kind() + "\t" + removed.reason(), key -> new long[2]);
      group[0]++;
      group[1] += removed.bytes();
    }
    groups.forEach(
        (key, group) -> {
          String[] parts = key.split("\t", 2);
          text.append(
              String.format(
                  Locale.ROOT,
                  "  - %-9s %6d %11s  %s%n",
                  parts[0],
                  group[0],
                  Sizes.bytes(group[1]),
                  parts[1]));
        });
    text.append("kept:").append(System.lineSeparator());
    for (KindTotal kind : report.kept()) {
      if (kind.entries() > 0) {
        text.append(
            String.format(
                Locale.ROOT,
                "  %-11s %6d %11s%n",
                kind.kind(),
                kind.entries(),
                Sizes.bytes(kind.bytes())));
      }
    }
    if (!report.keptImages().isEmpty()) {
      text.append("images kept (latest build of each):").append(System.lineSeparator());
      CacheCommand.images(text, report.keptImages());
    }
    if (!report.droppedImages().isEmpty()) {
      text.append("images evicted (least recently built, to meet the limits):")
          .append(System.lineSeparator());
      CacheCommand.images(text, report.droppedImages());
    }
    return text.toString().stripTrailing();
  }

  static String toJson(GcReport report) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("cache", report.cache().toString());
    root.put("dryRun", report.dryRun());
    root.put("maxBytes", report.limits().maxBytes());
    root.put("minFreeBytes", report.limits().minFreeBytes());
    root.put("bytesBefore", report.sizeBefore());
    root.put("bytesAfter", report.sizeAfter());
    root.put("freeBytesAfter", report.freeAfter());
    ArrayNode removed = root.putArray("removed");
    for (GcReport.Removed entry : report.removed()) {
      ObjectNode node = removed.addObject();
      node.put("kind", entry.kind());
      node.put("entry", entry.entry());
      node.put("bytes", entry.bytes());
      node.put("reason", entry.reason());
    }
    CacheCommand.kinds(root.putArray("kept"), report.kept());
    CacheCommand.images(root.putArray("keptImages"), report.keptImages());
    CacheCommand.images(root.putArray("evictedImages"), report.droppedImages());
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
