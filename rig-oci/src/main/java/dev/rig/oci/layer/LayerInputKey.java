package dev.rig.oci.layer;

import dev.rig.oci.digest.Digest;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The cache key of a layer's inputs: sha256 over a canonical, length-prefixed encoding of the
 * planned entries (path, type, mode, owner, link target), the mtime, the tar format version and,
 * for content, either the hash of in-memory bytes or the identity of a host file (absolute path,
 * size, mtime, ctime, device and inode). A rebuild whose key is unchanged reuses the cached diffID
 * without writing a tar.
 *
 * <p>Host files are identified by metadata, not hashed: that is what makes an unchanged rebuild
 * cheap. A file rewritten in place keeps its inode but gets a new ctime, so the key changes.
 */
public final class LayerInputKey {
  private LayerInputKey() {}

  /**
   * @param formatVersion the tar writer's format version, so a format change misses the cache
   */
  public static Digest of(LayerPlan plan, long mtimeSeconds, String formatVersion)
      throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    DataOutputStream out = new DataOutputStream(new HashingSink(sha256));
    text(out, "rig-layer-input-key/1");
    text(out, formatVersion);
    out.writeLong(mtimeSeconds);
    out.writeInt(plan.entries().size());
    for (LayerEntry entry : plan.entries()) {
      text(out, entry.type().name());
      text(out, entry.path());
      out.writeInt(entry.mode());
      out.writeInt(entry.uid());
      out.writeInt(entry.gid());
      text(out, entry.linkTarget() == null ? "" : entry.linkTarget());
      if (entry.content() != null) {
        content(out, entry.content());
      }
    }
    out.flush();
    return Digest.ofHash(sha256.digest());
  }

  private static void content(DataOutputStream out, Content content) throws IOException {
    if (content instanceof Content.Bytes bytes) {
      text(out, "bytes");
      text(out, Digest.of(bytes.bytes()).toString());
      out.writeLong(bytes.size());
    } else if (content instanceof Content.HostFile file && file.sealed()) {
      // Never rewritten: its inode stands for its bytes, wherever it is linked from.
      text(out, "sealed-file");
      Map<String, Object> identity =
          new java.util.TreeMap<>(
              Files.readAttributes(file.path(), "unix:size,lastModifiedTime,dev,ino"));
      for (Map.Entry<String, Object> attribute : identity.entrySet()) {
        text(out, attribute.getKey() + "=" + attribute.getValue());
      }
    } else if (content instanceof Content.HostFile file) {
      text(out, "file");
      text(out, file.path().toString());
      for (Map.Entry<String, Object> attribute : identity(file.path()).entrySet()) {
        text(out, attribute.getKey() + "=" + attribute.getValue());
      }
    }
  }

  /** Size and times of the file plus device/inode where the platform exposes them. */
  private static Map<String, Object> identity(Path path) throws IOException {
    try {
      return new java.util.TreeMap<>(
          Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,dev,ino"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class);
      Map<String, Object> attributes = new java.util.TreeMap<>();
      attributes.put("size", basic.size());
      attributes.put("lastModifiedTime", basic.lastModifiedTime());
      attributes.put("fileKey", String.valueOf(basic.fileKey()));
      return attributes;
    }
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** An output stream that only feeds a hasher. */
  private static final class HashingSink extends OutputStream {
    private final MessageDigest sha256;

    HashingSink(MessageDigest sha256) {
      this.sha256 = sha256;
    }

    @Override
    public void write(int b) {
      sha256.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      sha256.update(b, off, len);
    }
  }
}
