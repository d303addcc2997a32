package dev.rig.oci.layer;

/** What a layer entry is. Device files, fifos and sockets are deliberately not representable. */
public enum EntryType {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK
}
