package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.Rig;
import dev.rig.build.RigSettings;
import dev.rig.build.cache.CacheReport;
import dev.rig.build.cache.ImageUse;
import dev.rig.build.cache.KindTotal;
import dev.rig.build.event.Sizes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rig cache}: what the cache holds, by kind and by image, and what a gc would reclaim. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    subcommands = CacheGcCommand.class,
    description =
        "Shows what the cache holds: by kind, by image (what the latest build of each used) and"
            + " what `rig cache gc` would reclaim.")
final class CacheCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin CacheDirOption cache;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CacheReport report;
    try (Rig rig = Rig.open(RigSettings.defaults(cache.cacheDir()))) {
      report = rig.cacheReport();
    }
    PrintWriter out = command.commandLine().getOut();
    out.println(json ? toJson(report) : text(report));
    out.flush();
    return 0;
  }

  static String text(CacheReport report) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "cache %s: %s (a file shared by hard links counted once); %s free on its disk%n%n",
            report.cache(),
            Sizes.bytes(report.bytes()),
            Sizes.bytes(report.freeBytes())));
    text.append(
        String.format(Locale.ROOT, "%-10s %8s %11s  %s%n", "kind", "entries", "size", "holds"));
    for (KindTotal kind : report.kinds()) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-10s %8d %11s  %s%n",
              kind.kind(),
              kind.entries(),
              Sizes.bytes(kind.bytes()),
              kind.holds()));
    }
    text.append(System.lineSeparator());
    if (report.images().isEmpty()) {
      text.append("images: no build has recorded what it used").append(System.lineSeparator());
    } else {
      text.append("images (the latest build of each, most recent first):")
          .append(System.lineSeparator());
      images(text, report.images());
    }
    text.append(System.lineSeparator());
    text.append(
        String.format(
            Locale.ROOT,
            "reclaimable: %s (%d entr%s no recent build used, %d leftover%s of interrupted"
                + " builds); `rig cache gc` removes them",
            Sizes.bytes(report.reclaimableBytes()),
            report.unusedEntries(),
            report.unusedEntries() == 1 ? "y" : "ies",
            report.leftovers(),
            report.leftovers() == 1 ? "" : "s"));
    return text.toString();
  }

  static void images(StringBuilder text, List<ImageUse> images) {
    for (ImageUse image : images) {
      text.append(
          String.format(
              Locale.ROOT,
              "  %-28s %11s %6d entries  built %s  %s%n",
              image.reference(),
              Sizes.bytes(image.bytes()),
              image.entries(),
              image.built(),
              image.project()));
    }
  }

  static String toJson(CacheReport report) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("cache", report.cache().toString());
    root.put("bytes", report.bytes());
    root.put("freeBytes", report.freeBytes());
    kinds(root.putArray("kinds"), report.kinds());
    images(root.putArray("images"), report.images());
    ObjectNode reclaimable = root.putObject("reclaimable");
    reclaimable.put("bytes", report.reclaimableBytes());
    reclaimable.put("unusedEntries", report.unusedEntries());
    reclaimable.put("leftovers", report.leftovers());
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  static void kinds(ArrayNode array, List<KindTotal> kinds) {
    for (KindTotal kind : kinds) {
      ObjectNode node = array.addObject();
      node.put("kind", kind.kind());
      node.put("holds", kind.holds());
      node.put("entries", kind.entries());
      node.put("bytes", kind.bytes());
    }
  }

  static void images(ArrayNode array, List<ImageUse> images) {
    for (ImageUse image : images) {
      ObjectNode node = array.addObject();
      node.put("reference", image.reference());
      node.put("project", image.project().toString());
      node.put("digest", image.digest());
      node.put("built", image.built().toString());
      node.put("entries", image.entries());
      node.put("bytes", image.bytes());
    }
  }
}
