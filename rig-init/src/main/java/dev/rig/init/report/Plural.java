package dev.rig.init.report;

/**
 * A count with its noun in the right number ("1 key", "2 keys", "0 keys"), so no message reads "1
 * keys". Both forms are given because English plurals are not regular ("library", "libraries").
 */
public final class Plural {
  private Plural() {}

  public static String of(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
