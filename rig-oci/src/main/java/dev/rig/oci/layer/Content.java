package dev.rig.oci.layer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The bytes of a regular file in a layer: a file on the host, or bytes held in memory. */
public sealed interface Content permits Content.HostFile, Content.Bytes {

  /** Content read from {@code path} when the layer is written (symlinks in the path followed). */
  static Content ofFile(Path path) {
    return new HostFile(path);
  }

  /**
   * Content of a file in a cache that is never written after it is complete, such as a configured
   * package root: it is known by device, inode, size and time, wherever it is linked, so a root
   * that shares it by a hard link reuses the cached layer without reading it.
   */
  static Content ofSealedFile(Path path) {
    return new HostFile(path, true);
  }

  /** Content held in memory; the array is copied. */
  static Content ofBytes(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** The current size in bytes. */
  long size() throws IOException;

  /** Opens the bytes for reading. */
  InputStream open() throws IOException;

  /**
   * A file on the build host, by absolute path.
   *
   * @param sealed whether the file is never written once complete (see {@link #ofSealedFile})
   */
  record HostFile(Path path, boolean sealed) implements Content {
    public HostFile {
      path = path.toAbsolutePath().normalize();
    }

    public HostFile(Path path) {
      this(path, false);
    }

    @Override
    public long size() throws IOException {
      return Files.size(path);
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  /** Bytes in memory; compared by value. */
  record Bytes(byte[] bytes) implements Content {
    public Bytes {
      bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Bytes[" + bytes.length + " bytes]";
    }
  }
}
