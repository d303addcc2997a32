package dev.rig.apt.resolve;

/**
 * Choices that change the install set.
 *
 * @param installRecommends follow Recommends as soft dependencies (apt's default is on; rig's is
 *     off, to keep images small)
 * @param addEssential also install the Essential: yes set, as a bootstrap would
 * @param stepLimit how many decisions the search may try before it gives up
 */
public record ResolveOptions(boolean installRecommends, boolean addEssential, int stepLimit) {
  public static final ResolveOptions DEFAULT = new ResolveOptions(false, false, 200_000);

  public ResolveOptions withRecommends(boolean on) {
    return new ResolveOptions(on, addEssential, stepLimit);
  }

  public ResolveOptions withEssential(boolean on) {
    return new ResolveOptions(installRecommends, on, stepLimit);
  }
}
