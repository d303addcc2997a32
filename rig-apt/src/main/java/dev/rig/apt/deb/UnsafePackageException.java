package dev.rig.apt.deb;

import java.io.IOException;

/**
 * A package whose data archive would write outside its root or through one of its own symlinks.
 * Such a package is never unpacked, not even partly: a hostile or broken mirror must not reach the
 * build host's files.
 */
public final class UnsafePackageException extends IOException {
  public UnsafePackageException(String message) {
    super(message);
  }
}
