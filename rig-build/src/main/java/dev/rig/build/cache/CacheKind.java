package dev.rig.build.cache;

import java.util.List;

/**
 * One kind of thing the cache holds, and how a gc decides what of it is still wanted. The kinds are
 * one table ({@link #ALL}): a new kind of cache directory is one line here.
 *
 * @param name what {@code rig cache} calls it
 * @param dir its directory, relative to the cache root
 * @param depth 1 when each child of {@code dir} is an entry, 2 when each grandchild is (the layer
 *     index keeps one folder per table)
 * @param tracking how its entries' use is known
 * @param holds one line for the report
 */
public record CacheKind(String name, String dir, int depth, Tracking tracking, String holds) {

  /** How a gc knows whether an entry is still wanted. */
  public enum Tracking {
    /**
     * Every build lists the entries it used in its usage record: an entry no record lists is
     * unused.
     */
    RECORDED,
    /**
     * Small records that point at other entries (a layer's input key at its diffID, a diffID at its
     * blob): one whose target is gone is removed with it.
     */
    INDEX,
    /** Not recorded: last used when last written; removed only to meet the size cap. */
    WRITTEN
  }

  /** Every kind, in the order the report lists them (a file shared by hard links counts once). */
  public static final List<CacheKind> ALL =
      List.of(
          new CacheKind("blobs", "blobs/sha256", 1, Tracking.RECORDED, "compressed layers"),
          new CacheKind("layers", "layers", 2, Tracking.INDEX, "layer index"),
          new CacheKind("specs", "specs", 1, Tracking.WRITTEN, "evaluated specs"),
          new CacheKind("indexes", "indexes", 1, Tracking.WRITTEN, "apt index files"),
          new CacheKind("debs", "debs", 1, Tracking.RECORDED, "downloaded .debs"),
          new CacheKind("unpacked", "unpacked", 1, Tracking.RECORDED, "unpacked .debs"),
          new CacheKind("stages", "stages", 1, Tracking.RECORDED, "staged install roots"),
          new CacheKind("rootfs", "rootfs", 1, Tracking.RECORDED, "configured package roots"),
          new CacheKind("base-roots", "base-roots", 1, Tracking.RECORDED, "base images unpacked"),
          new CacheKind("home-git", "home-git", 1, Tracking.RECORDED, "git homes checked out"),
          new CacheKind("wheels", "wheels", 1, Tracking.RECORDED, "downloaded Python wheels"),
          new CacheKind("venvs", "venvs", 1, Tracking.RECORDED, "installed Python venvs"),
          new CacheKind("java", "java", 1, Tracking.RECORDED, "rig-init's linked Java runtimes"),
          new CacheKind("memo", "memo", 1, Tracking.WRITTEN, "build memo (warm rebuilds)"),
          new CacheKind(
              "vm-modules", "vm-modules", 1, Tracking.RECORDED, "guest kernel modules built"));

  /** The layer index's tables that map a layer's input key, not a diffID, to what it points at. */
  static final String LAYER_INPUTS = "inputs";

  /** The layer index's markers of path sets seen before; they point at nothing. */
  static final String LAYER_PATHS = "paths";
}
