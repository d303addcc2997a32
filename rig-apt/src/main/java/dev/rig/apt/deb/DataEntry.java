package dev.rig.apt.deb;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * One entry of a package's data archive, as its tar header says it. The path is raw (e.g. {@code
 * ./usr/bin/foo}): a value to be checked, not trusted.
 *
 * @param name the path as written in the archive
 * @param linkTarget a symlink's target or a hardlink's archive path; empty for other types
 * @param uname owner name ("" when the archive has none)
 * @param gname group name ("" when the archive has none)
 */
public record DataEntry(
    String name,
    Type type,
    int mode,
    String uname,
    String gname,
    long uid,
    long gid,
    long size,
    String linkTarget) {

  /** Entry kinds a package may carry; devices and fifos are refused by the unpacker. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    OTHER
  }

  static DataEntry of(TarArchiveEntry t) {
    Type type;
    // Asked first: commons-compress calls any entry that is not a directory a file, devices and
    // fifos included, which would unpack them as empty regular files.
    if (t.isCharacterDevice() || t.isBlockDevice() || t.isFIFO()) {
      type = Type.OTHER;
    } else if (t.isSymbolicLink()) {
      type = Type.SYMLINK;
    } else if (t.isLink()) {
      type = Type.HARDLINK;
    } else if (t.isDirectory()) {
      type = Type.DIRECTORY;
    } else if (t.isFile()) {
      type = Type.FILE;
    } else {
      type = Type.OTHER;
    }
    return new DataEntry(
        t.getName(),
        type,
        t.getMode() & 07777,
        t.getUserName() == null ? "" : t.getUserName(),
        t.getGroupName() == null ? "" : t.getGroupName(),
        t.getLongUserId(),
        t.getLongGroupId(),
        t.getSize(),
        t.getLinkName() == null ? "" : t.getLinkName());
  }
}
