package dev.rig.spec;

/** Which parts of installed packages are left out. */
public record SlimSpec(boolean docs, boolean manPages, boolean locales) {
  public static final SlimSpec KEEP_ALL = new SlimSpec(false, false, false);
}
