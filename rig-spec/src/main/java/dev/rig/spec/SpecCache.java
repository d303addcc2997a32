package dev.rig.spec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.pkl.core.resource.ResourceReader;

/**
 * Evaluated specs on disk, one entry per spec file, so that an unchanged spec costs no Pkl
 * evaluation (about half a second of every command).
 *
 * <p>An entry holds the evaluated values and everything the evaluation read: the digest of every
 * {@code file:} module Pkl loaded (the spec, what it imports or amends) with the real path it came
 * from, the answer to every resource read ({@code read()} of a file, the schema's host path
 * checks), and the bytes of a YAML or JSON spec. It is used only when its context matches (the spec
 * path; the rig, Pkl and Jackson code, identified by their jars; the JVM and platform, which {@code
 * pkl:platform} exposes; the external properties) and every one of those reads, done again, gives
 * the same answer. Nothing else can reach an evaluation: the evaluator has no {@code env:} or
 * network reader and no system properties, and modules outside {@code file:} come from rig's jars.
 * Reads that cannot be replayed (globs, triple-dot imports, failures) leave the spec uncached.
 *
 * <p>Entries are written to a temporary name and renamed, and end with a digest of their bytes: an
 * entry that is truncated, damaged or from another rig is ignored, never trusted.
 */
public final class SpecCache {
  private static final String MAGIC = "rig spec cache 1";
  private static final int DIGEST_BYTES = 32;

  private final Optional<Path> dir;
  private final Consumer<SpecCacheEvent> events;

  private SpecCache(Optional<Path> dir, Consumer<SpecCacheEvent> events) {
    this.dir = dir;
    this.events = events;
  }

  /** A cache in {@code dir} (created when first written), reporting to {@code events}. */
  public static SpecCache in(Path dir, Consumer<SpecCacheEvent> events) {
    return new SpecCache(Optional.of(dir.toAbsolutePath()), events);
  }

  /** No cache: every load evaluates. */
  public static SpecCache none() {
    return new SpecCache(Optional.empty(), event -> {});
  }

  /** The cached values for {@code spec} (absolute, normalised), if every input is unchanged. */
  Optional<SpecValues> lookup(Path spec, SpecFormat format) {
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> context = context(spec, format);
    if (context.isEmpty()) {
      return miss(spec, "rig's code has no location to identify it by");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(entry(spec));
    } catch (NoSuchFileException e) {
      return miss(spec, "not cached yet");
    } catch (IOException | RuntimeException e) {
      return miss(spec, "unreadable entry: " + e.getMessage());
    }
    Entry entry;
    try {
      entry = Entry.read(bytes);
    } catch (IOException | RuntimeException e) {
      return miss(spec, "damaged entry: " + e.getMessage());
    }
    if (!entry.context().equals(context.get())) {
      return miss(spec, "cached by another rig, platform or spec location");
    }
    Map<String, ResourceReader> readers = SpecEvaluator.replayReaders(spec.getParent());
    for (SpecInput input : entry.inputs()) {
      if (!unchanged(input, readers)) {
        return miss(spec, input.uri() + " changed");
      }
    }
    events.accept(new SpecCacheEvent.Hit(spec));
    return Optional.of(entry.values());
  }

  /** Caches what evaluating {@code spec} gave; never fails the load (it reports why instead). */
  void store(Path spec, SpecFormat format, SpecInputs inputs, SpecValues values) {
    if (dir.isEmpty()) {
      return;
    }
    Optional<String> uncacheable = inputs.uncacheableReason();
    if (uncacheable.isPresent()) {
      events.accept(new SpecCacheEvent.NotStored(spec, uncacheable.get()));
      return;
    }
    if (!values.writable()) {
      events.accept(new SpecCacheEvent.NotStored(spec, "it holds values the cache cannot store"));
      return;
    }
    Optional<String> context = context(spec, format);
    if (context.isEmpty()) {
      events.accept(new SpecCacheEvent.NotStored(spec, "rig's code has no location"));
      return;
    }
    List<SpecInput> read = inputs.inputs();
    Path target = entry(spec);
    Path temp = null;
    try {
      byte[] bytes = new Entry(context.get(), read, values).bytes();
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      Files.write(temp, bytes);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      events.accept(new SpecCacheEvent.Stored(spec, read.size()));
    } catch (IOException | RuntimeException e) {
      events.accept(new SpecCacheEvent.NotStored(spec, "cannot write the entry: " + e));
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // A stray temp file is harmless: entries are found by their exact name.
        }
      }
    }
  }

  private Optional<SpecValues> miss(Path spec, String reason) {
    events.accept(new SpecCacheEvent.Miss(spec, reason));
    return Optional.empty();
  }

  private Path entry(Path spec) {
    return dir.orElseThrow()
        .resolve(SpecInputs.digest(spec.toString().getBytes(StandardCharsets.UTF_8)).substring(7));
  }

  private static boolean unchanged(SpecInput input, Map<String, ResourceReader> readers) {
    try {
      return switch (input.kind()) {
        case MODULE -> RecordingModuleKeys.unchanged(input);
        case SPEC_FILE ->
            SpecInputs.digest(Files.readAllBytes(Path.of(input.uri()))).equals(input.digest());
        case RESOURCE -> {
          URI uri = new URI(input.uri());
          ResourceReader reader = readers.get(uri.getScheme());
          yield reader != null
              && RecordingResourceReader.replay(reader, uri).equals(Optional.of(input.digest()));
        }
      };
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Everything besides the recorded reads that an evaluation's result depends on. Empty when the
   * code cannot be identified (then nothing is cached).
   */
  private static Optional<String> context(Path spec, SpecFormat format) {
    StringBuilder context = new StringBuilder();
    context.append("spec ").append(spec).append(' ').append(format).append('\n');
    // What pkl:platform tells a module about the machine it runs on.
    for (String property :
        List.of(
            "java.version",
            "java.vm.name",
            "java.vm.version",
            "os.name",
            "os.version",
            "os.arch")) {
      context.append(property).append(' ').append(System.getProperty(property)).append('\n');
    }
    context.append("properties ").append(new TreeMap<>(SpecEvaluator.SPEC_PROPERTIES)).append('\n');
    // rig-spec (schema, YAML translation), pkl-core (the language), Jackson and SnakeYAML (YAML
    // and JSON parsing).
    Optional<String> code = CodeVersion.of(CODE);
    if (code.isEmpty()) {
      return Optional.empty();
    }
    context.append(code.get());
    return Optional.of(context.toString());
  }

  /** A class from each library whose version can change what a spec evaluates to. */
  private static final List<String> CODE =
      List.of(
          "dev.rig.spec.SpecCache",
          "org.pkl.core.Evaluator",
          "com.fasterxml.jackson.core.JsonFactory",
          "com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
          "org.yaml.snakeyaml.LoaderOptions");

  /** One entry's content: the context it was made in, the reads and the values. */
  private record Entry(String context, List<SpecInput> inputs, SpecValues values) {
    byte[] bytes() throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buffer);
      SpecValues.writeString(out, MAGIC);
      SpecValues.writeString(out, context);
      out.writeInt(inputs.size());
      for (SpecInput input : inputs) {
        out.writeByte(input.kind().ordinal());
        SpecValues.writeString(out, input.uri());
        SpecValues.writeString(out, input.resolved());
        SpecValues.writeString(out, input.digest());
      }
      values.write(out);
      out.flush();
      byte[] body = buffer.toByteArray();
      byte[] digest = digest(body, body.length);
      byte[] all = Arrays.copyOf(body, body.length + DIGEST_BYTES);
      System.arraycopy(digest, 0, all, body.length, DIGEST_BYTES);
      return all;
    }

    static Entry read(byte[] bytes) throws IOException {
      int length = bytes.length - DIGEST_BYTES;
      if (length < 0
          || !Arrays.equals(
              digest(bytes, length), Arrays.copyOfRange(bytes, length, bytes.length))) {
        throw new IOException("its digest does not match its content");
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length));
      if (!SpecValues.readString(in).equals(MAGIC)) {
        throw new IOException("not a spec cache entry of this format");
      }
      String context = SpecValues.readString(in);
      int n = in.readInt();
      if (n < 0 || n > in.available()) {
        throw new IOException("bad input count " + n);
      }
      List<SpecInput> inputs = new ArrayList<>();
      SpecInput.Kind[] kinds = SpecInput.Kind.values();
      for (int i = 0; i < n; i++) {
        int kind = in.readUnsignedByte();
        if (kind >= kinds.length) {
          throw new IOException("unknown input kind " + kind);
        }
        inputs.add(
            new SpecInput(
                kinds[kind],
                SpecValues.readString(in),
                SpecValues.readString(in),
                SpecValues.readString(in)));
      }
      SpecValues values =
          SpecValues.read(in).orElseThrow(() -> new IOException("no values in the entry"));
      if (in.available() != 0) {
        throw new IOException("trailing bytes");
      }
      return new Entry(context, inputs, values);
    }

    private static byte[] digest(byte[] bytes, int length) {
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(bytes, 0, length);
        return sha.digest();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
    }
  }
}
