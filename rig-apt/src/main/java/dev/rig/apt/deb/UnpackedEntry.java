package dev.rig.apt.deb;

/**
 * One checked entry of an unpacked package: its absolute image path and the metadata the host
 * directory cannot keep (owner names, setuid bits, link kinds), stored next to the files so a
 * cached unpack needs no second pass over the .deb.
 *
 * @param path absolute, normalised image path
 * @param linkTarget symlink target as written, or the absolute image path a hardlink points to; ""
 *     otherwise
 */
public record UnpackedEntry(
    String path,
    DataEntry.Type type,
    int mode,
    String uname,
    String gname,
    long uid,
    long gid,
    String linkTarget) {}
