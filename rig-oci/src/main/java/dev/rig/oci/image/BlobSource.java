package dev.rig.oci.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the bytes of a blob can be read. Writers verify the digest while copying, so a source need
 * not be trusted.
 */
public interface BlobSource {
  InputStream open() throws IOException;

  /** The file holding the blob, when there is one (lets a writer hard-link instead of copy). */
  default Optional<Path> file() {
    return Optional.empty();
  }

  /**
   * Called when the bytes read from this source did not match their digest. A cache-backed source
   * deletes the file so the next build makes it again; other sources do nothing.
   */
  default void discardCorrupt() throws IOException {}

  /**
   * True when this process wrote the bytes and hashed them as it wrote them, so a writer that only
   * places the file (a hard link) need not read it again to check it.
   */
  default boolean hashedWhenWritten() {
    return false;
  }

  /** A blob in rig's own cache: deleted when found corrupt. */
  static BlobSource ofCachedFile(Path path) {
    return ofCachedFile(path, false);
  }

  /**
   * A blob in rig's own cache, deleted when found corrupt; {@code hashedWhenWritten} when this
   * build has just written it (see {@link #hashedWhenWritten()}).
   */
  static BlobSource ofCachedFile(Path path, boolean hashedWhenWritten) {
    return new BlobSource() {
      @Override
      public boolean hashedWhenWritten() {
        return hashedWhenWritten;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(path);
      }

      @Override
      public Optional<Path> file() {
        return Optional.of(path);
      }

      @Override
      public void discardCorrupt() throws IOException {
        Files.deleteIfExists(path);
      }

      @Override
      public String toString() {
        return path.toString();
      }
    };
  }

  /** A file owned by someone else (a base image layout): never modified. */
  static BlobSource ofFile(Path path) {
    return new BlobSource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(path);
      }

      @Override
      public Optional<Path> file() {
        return Optional.of(path);
      }

      @Override
      public String toString() {
        return path.toString();
      }
    };
  }

  static BlobSource ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return () -> new ByteArrayInputStream(copy);
  }
}
