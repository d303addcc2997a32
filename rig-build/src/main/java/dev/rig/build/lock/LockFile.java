package dev.rig.build.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code rig.lock}: for each image, the exact packages (and the indexes they came from) that a
 * build installs, so that builds are repeatable until the user asks for an update. JSON with sorted
 * keys and lists and '\n' line ends, so the file diffs cleanly in version control.
 *
 * @param bases for images whose base is a registry reference with a tag: the reference pinned to
 *     the digest the tag named when it was locked ({@code REGISTRY/REPO:TAG@sha256:...})
 * @param homes for images whose home is a git repository: the commit its ref named when locked
 * @param tools for images with packages and rig-init: the packages rig's build tools run from (the
 *     JDK and jmods that rig-init's trimmed Java runtime is linked from), installed beside the
 *     image and never into it
 * @param wheels for images with a Python venv: its wheels, each with its URL (never with
 *     credentials), size and SHA-256
 */
public record LockFile(
    int version,
    Map<String, ImageLock> images,
    Map<String, String> bases,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, HomePin> homes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ImageLock> tools,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, WheelLock> wheels) {
  public static final int CURRENT_VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectWriter WRITER =
      JSON.writer(
          new DefaultPrettyPrinter()
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  public LockFile {
    images = Collections.unmodifiableMap(new TreeMap<>(images));
    bases = bases == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(bases));
    homes = homes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(homes));
    tools = tools == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tools));
    wheels = wheels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(wheels));
  }

  public static LockFile empty() {
    return new LockFile(CURRENT_VERSION, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  /** This lock with one image's entry replaced. */
  public LockFile with(String image, ImageLock lock) {
    Map<String, ImageLock> copy = new TreeMap<>(images);
    copy.put(image, lock);
    return new LockFile(version, copy, bases, homes, tools, wheels);
  }

  /** This lock with one image's pinned base reference replaced. */
  public LockFile withBase(String image, String pinnedReference) {
    Map<String, String> copy = new TreeMap<>(bases);
    copy.put(image, pinnedReference);
    return new LockFile(version, images, copy, homes, tools, wheels);
  }

  /** This lock with one image's git home pin replaced. */
  public LockFile withHome(String image, HomePin pin) {
    Map<String, HomePin> copy = new TreeMap<>(homes);
    copy.put(image, pin);
    return new LockFile(version, images, bases, copy, tools, wheels);
  }

  /** This lock with one image's build-tool set replaced. */
  public LockFile withTools(String image, ImageLock lock) {
    Map<String, ImageLock> copy = new TreeMap<>(tools);
    copy.put(image, lock);
    return new LockFile(version, images, bases, homes, copy, wheels);
  }

  /** This lock with one image's wheels replaced. */
  public LockFile withWheels(String image, WheelLock lock) {
    Map<String, WheelLock> copy = new TreeMap<>(wheels);
    copy.put(image, lock);
    return new LockFile(version, images, bases, homes, tools, copy);
  }

  public Optional<WheelLock> wheels(String image) {
    return Optional.ofNullable(wheels.get(image));
  }

  public Optional<ImageLock> tools(String image) {
    return Optional.ofNullable(tools.get(image));
  }

  public Optional<HomePin> home(String image) {
    return Optional.ofNullable(homes.get(image));
  }

  public Optional<String> base(String image) {
    return Optional.ofNullable(bases.get(image));
  }

  public Optional<ImageLock> image(String name) {
    return Optional.ofNullable(images.get(name));
  }

  /**
   * Checks an image's lock against the spec's current input; an image missing from the lock is a
   * change too.
   */
  public LockCheck check(String image, LockInput current) {
    ImageLock lock = images.get(image);
    if (lock == null) {
      return new LockCheck(List.of("image " + image + " is not in rig.lock"));
    }
    return lock.check(current);
  }

  public String toJson() {
    try {
      return WRITER.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static LockFile parse(String source, String json) throws IOException {
    LockFile lock;
    try {
      lock = JSON.readValue(json, LockFile.class);
    } catch (JsonProcessingException e) {
      throw new IOException(source + ": not a valid rig.lock: " + e.getOriginalMessage(), e);
    }
    if (lock.version() != CURRENT_VERSION) {
      throw new IOException(
          source
              + ": rig.lock version "
              + lock.version()
              + " is not supported (this rig writes "
              + CURRENT_VERSION
              + "); run `rig lock` again");
    }
    Map<String, ImageLock> all = new TreeMap<>(lock.images());
    lock.tools().forEach((image, tools) -> all.put(image + " (tools)", tools));
    for (Map.Entry<String, ImageLock> image : all.entrySet()) {
      for (LockedPackage p : image.getValue().packages()) {
        if (!isRepositoryRelative(p.filename())) {
          throw new IOException(
              source
                  + ": images."
                  + image.getKey()
                  + ": package "
                  + p.name()
                  + " names the file '"
                  + p.filename()
                  + "'; a lock names .debs only by their path inside their repository (as"
                  + " pool/main/...), never by a URL or a path outside it; run `rig lock` to"
                  + " write it again");
        }
      }
    }
    for (Map.Entry<String, WheelLock> image : lock.wheels().entrySet()) {
      for (LockedWheel w : image.getValue().wheels()) {
        checkWheel(source, image.getKey(), w);
      }
    }
    return lock;
  }

  /**
   * A locked wheel must name a hash and a URL without credentials: a lock is committed with the
   * project, and a wheel without a hash could be anything.
   */
  private static void checkWheel(String source, String image, LockedWheel w) throws IOException {
    String where = source + ": wheels." + image + ": " + w.name() + " " + w.version();
    if (w.sha256() == null || !w.sha256().matches("[0-9a-f]{64}")) {
      throw new IOException(
          where
              + " has no SHA-256; rig installs only wheels it can verify: run `rig lock` to record"
              + " the hashes");
    }
    if (w.url() == null || !w.url().matches("https?://[^@/]+(/.*)?") || w.filename() == null) {
      throw new IOException(
          where
              + " has no http(s) URL without credentials; run `rig lock` to write it again"
              + " (credentials come from the environment or netrc, never from rig.lock)");
    }
  }

  /**
   * A path inside a repository, as an index's Filename field gives it: no scheme, not absolute, no
   * '..' segment and no backslash, so that resolving it against the repository can only stay there.
   */
  static boolean isRepositoryRelative(String path) {
    if (path == null
        || path.isBlank()
        || path.startsWith("/")
        || path.contains("\\")
        || path.contains(":")
        || path.contains("?")
        || path.contains("#")) {
      return false;
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  public static LockFile read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Writes to a temp file beside {@code file}, then renames: readers see old or new, never half.
   */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".tmp-rig.lock-", ".part");
    try {
      Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
      // A lock is committed with the project: readable by everyone, like the spec beside it.
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
