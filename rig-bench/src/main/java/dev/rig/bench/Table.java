package dev.rig.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The benchmark's result table, printed as Markdown with aligned columns. */
final class Table {
  /**
   * Whether a row's goal was met; NONE when the row has no goal, NOT_MEASURED when it has one but a
   * figure could not be taken (the feature is not in this rig yet).
   */
  enum Verdict {
    YES("yes"),
    NO("**no**"),
    NONE("—"),
    NOT_MEASURED("n/a");

    final String text;

    Verdict(String text) {
      this.text = text;
    }

    static Verdict of(boolean met) {
      return met ? YES : NO;
    }
  }

  /** What a row's figures count, and how a cell prints them. */
  enum Unit {
    SECONDS,
    /** Bytes, printed in MB (10^6). */
    MB,
    /** Bytes, printed in MiB (2^20), where the goal is stated in MiB. */
    MIB,
    /** A plain count (lines printed). */
    COUNT;

    String format(double value) {
      return switch (this) {
        case SECONDS -> String.format(Locale.ROOT, "%.2f s", value);
        case MB -> String.format(Locale.ROOT, "%.1f MB", value / 1e6);
        case MIB -> String.format(Locale.ROOT, "%.1f MiB", value / (1 << 20));
        case COUNT -> String.format(Locale.ROOT, "%.0f", value);
      };
    }
  }

  /**
   * One task. Figures are empty where that side was not measured; notes follow the figures (e.g.
   * throughput, bytes uploaded, what the reference is).
   */
  record Row(
      String task,
      OptionalDouble rig,
      String rigNote,
      OptionalDouble reference,
      String referenceNote,
      String goal,
      Verdict verdict,
      Unit unit) {

    /** A row of seconds. */
    Row(
        String task,
        OptionalDouble rig,
        String rigNote,
        OptionalDouble reference,
        String referenceNote,
        String goal,
        Verdict verdict) {
      this(task, rig, rigNote, reference, referenceNote, goal, verdict, Unit.SECONDS);
    }

    /** rig's time over the reference's, when both were measured. */
    OptionalDouble ratio() {
      if (rig.isPresent() && reference.isPresent() && reference.getAsDouble() > 0) {
        return OptionalDouble.of(rig.getAsDouble() / reference.getAsDouble());
      }
      return OptionalDouble.empty();
    }
  }

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  static String seconds(OptionalDouble s) {
    return s.isPresent() ? String.format(Locale.ROOT, "%.2f s", s.getAsDouble()) : "—";
  }

  static String cell(OptionalDouble s, String note) {
    return cell(s, note, Unit.SECONDS);
  }

  static String cell(OptionalDouble value, String note, Unit unit) {
    String figure = value.isPresent() ? unit.format(value.getAsDouble()) : "—";
    if (note == null || note.isEmpty()) {
      return figure;
    }
    return value.isPresent() ? figure + " (" + note + ")" : note;
  }

  /** Throughput of {@code bytes} in {@code seconds}, in MB/s (10^6 bytes). */
  static String rate(long bytes, double seconds) {
    return String.format(Locale.ROOT, "%.0f MB/s", bytes / 1e6 / seconds);
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** The Markdown table, columns padded so it also reads well in a terminal. */
  String markdown() {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"task", "rig", "reference", "ratio", "goal", "met?"});
    for (Row r : rows) {
      OptionalDouble ratio = r.ratio();
      lines.add(
          escape(
              new String[] {
                r.task(),
                cell(r.rig(), r.rigNote(), r.unit()),
                cell(r.reference(), r.referenceNote(), r.unit()),
                ratio.isPresent() ? String.format(Locale.ROOT, "%.2f×", ratio.getAsDouble()) : "—",
                r.goal() == null || r.goal().isEmpty() ? "—" : r.goal(),
                r.verdict().text
              }));
    }
    int[] width = new int[6];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].codePointCount(0, line[i].length()));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int n = 0; n < lines.size(); n++) {
      appendLine(out, lines.get(n), width);
      if (n == 0) {
        String[] rule = new String[6];
        for (int i = 0; i < 6; i++) {
          rule[i] = "-".repeat(Math.max(3, width[i]));
        }
        appendLine(out, rule, width);
      }
    }
    return out.toString();
  }

  private static String[] escape(String[] cells) {
    String[] out = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      out[i] = cells[i].replace("|", "\\|");
    }
    return out;
  }

  private static void appendLine(StringBuilder out, String[] cells, int[] width) {
    out.append('|');
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i];
      out.append(' ').append(c);
      out.append(" ".repeat(Math.max(0, width[i] - c.codePointCount(0, c.length()))));
      out.append(" |");
    }
    out.append('\n');
  }
}
