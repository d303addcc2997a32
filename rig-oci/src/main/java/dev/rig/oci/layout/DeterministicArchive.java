package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.layer.ImagePaths;
import dev.rig.oci.tar.TarStreamWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An archive file (oci-archive, docker-archive) written in one go: entries sorted by name, parent
 * directories explicit, mtime 0, owner 0:0, files 0644, directories 0755. Blobs are verified as
 * they are copied in, and the file appears under its name only when complete.
 */
final class DeterministicArchive {
  private final SortedMap<String, Object> entries = new TreeMap<>(ImagePaths.TAR_ORDER);

  void addBytes(String name, byte[] bytes) {
    entries.put(name, bytes.clone());
  }

  void addBlob(Blob blob) {
    entries.put(blob.layoutPath(), blob);
  }

  /** A layer as its uncompressed tar, under {@link DecompressedLayer#path()}. */
  void addDecompressed(DecompressedLayer layer) {
    entries.put(layer.path(), layer);
  }

  void writeTo(Path target) throws IOException {
    if (Files.isDirectory(target)) {
      throw new OciException("cannot write an archive to " + target + ": it is a directory");
    }
    AtomicFiles.write(
        target,
        out -> {
          OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
          write(buffered);
          buffered.flush();
        });
  }

  /** Streams the archive (for a pipe into {@code podman load}); the caller closes the stream. */
  void writeTo(OutputStream out) throws IOException {
    OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
    write(buffered);
    buffered.flush();
  }

  private void write(OutputStream out) throws IOException {
    TarStreamWriter tar = new TarStreamWriter(out, 0);
    TreeSet<String> directories = new TreeSet<>(ImagePaths.TAR_ORDER);
    for (String name : entries.keySet()) {
      for (String parent : ImagePaths.parents("/" + name)) {
        directories.add(parent.substring(1));
      }
    }
    SortedMap<String, Object> all = new TreeMap<>(ImagePaths.TAR_ORDER);
    directories.forEach(d -> all.put(d, Boolean.TRUE));
    all.putAll(entries);
    for (var entry : all.entrySet()) {
      String name = entry.getKey();
      Object value = entry.getValue();
      if (value instanceof byte[] bytes) {
        tar.file(name, 0644, 0, 0, bytes.length, new ByteArrayInputStream(bytes));
      } else if (value instanceof Blob blob) {
        VerifiedCopy.copy(blob, in -> tar.file(name, 0644, 0, 0, blob.size(), in));
      } else if (value instanceof DecompressedLayer layer) {
        layer.writeTo(tar, name);
      } else {
        tar.directory(name, 0755, 0, 0);
      }
    }
    tar.finish();
  }
}
