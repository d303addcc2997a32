package dev.rig.apt.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decompresses the data member of a .deb. The bytes are the same whoever decodes them (every format
 * dpkg accepts is lossless and carries its own check), so a decoder may be chosen for speed alone:
 * {@link #IN_PROCESS} works everywhere; a native decoder from the image's own packages is faster
 * once the image has one.
 */
@FunctionalInterface
public interface DataDecoder {
  /**
   * The decompressed bytes of {@code member}, which lies at {@code [offset, offset + length)} of
   * {@code deb}. Closing the stream after its end checks that the decoder finished well, and throws
   * if it did not; closing it before stops the decoder.
   */
  InputStream open(Path deb, String member, long offset, long length) throws IOException;

  /** The decompressors in this process (xz-java, the JDK's gzip, zstd-jni's zstd). */
  DataDecoder IN_PROCESS =
      (deb, member, offset, length) -> {
        FileChannel channel = FileChannel.open(deb, StandardOpenOption.READ);
        try {
          channel.position(offset);
          InputStream bounded = new BoundedInputStream(Channels.newInputStream(channel), length);
          return DebArchive.decompressor(deb, member, bounded);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      };
}
