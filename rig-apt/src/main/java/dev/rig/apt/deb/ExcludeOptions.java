package dev.rig.apt.deb;

/**
 * Parts of packages left out of the image, like dpkg's {@code path-exclude} in slim images.
 * Copyright files stay even without docs, because licences require shipping them; {@code
 * locale.alias} stays because glibc reads it.
 */
public record ExcludeOptions(boolean docs, boolean man, boolean locales) {
  public static final ExcludeOptions NONE = new ExcludeOptions(false, false, false);
  public static final ExcludeOptions SLIM = new ExcludeOptions(true, true, true);

  /** Whether an absolute image path is left out. Directories are kept so parents still exist. */
  public boolean excludes(String path, boolean directory) {
    if (directory) {
      return false;
    }
    if (docs && path.startsWith("/usr/share/doc/")) {
      return !path.endsWith("/copyright");
    }
    if (man && path.startsWith("/usr/share/man/")) {
      return true;
    }
    if (locales && path.startsWith("/usr/share/locale/")) {
      return !path.equals("/usr/share/locale/locale.alias");
    }
    return false;
  }
}
