package dev.rig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Verdict;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void printsAnAlignedMarkdownTableWithRatiosAndVerdicts() {
    Table table = new Table();
    table.add(
        new Row(
            "cold build, gzip",
            OptionalDouble.of(13.0),
            "150 MB/s",
            OptionalDouble.of(10.0),
            "tar | pigz -p2 -6",
            "≤ 1.3× limit",
            Verdict.of(13.0 <= 1.3 * 10.0)));
    table.add(
        new Row(
            "warm rebuild",
            OptionalDouble.of(2.5),
            "",
            OptionalDouble.empty(),
            "",
            "≤ 1.5 s",
            Verdict.of(false)));
    table.add(
        new Row(
            "pull",
            OptionalDouble.empty(),
            "rig has no pull",
            OptionalDouble.of(0.5),
            "",
            "",
            Verdict.NONE));
    List<String> lines = table.markdown().lines().toList();
    assertEquals(5, lines.size());
    assertEquals(
        "| task             | rig                | reference                    | ratio | goal        "
            + " | met?   |",
        lines.get(0));
    assertTrue(lines.get(1).matches("\\|( -+ \\|)+"), lines.get(1));
    assertEquals(
        "| cold build, gzip | 13.00 s (150 MB/s) | 10.00 s (tar \\| pigz -p2 -6) | 1.30× | ≤ 1.3× limit"
            + " | yes    |",
        lines.get(2));
    assertEquals(
        "| warm rebuild     | 2.50 s             | —                            | —     | ≤ 1.5 s     "
            + " | **no** |",
        lines.get(3));
    assertEquals(
        "| pull             | rig has no pull    | 0.50 s                       | —     | —           "
            + " | —      |",
        lines.get(4));
    // Every line has the same width, so the table reads aligned in a terminal too.
    long widths = lines.stream().mapToInt(l -> l.codePointCount(0, l.length())).distinct().count();
    assertEquals(1, widths);
  }

  @Test
  void formatsRatesAndSizesInDecimalMegabytes() {
    assertEquals("200 MB/s", Table.rate(2_000_000_000L, 10.0));
    assertEquals("110.2 MB", Table.mb(110_200_000L));
    assertEquals("—", Table.seconds(OptionalDouble.empty()));
  }
}
