package dev.rig.apt.control;

import dev.rig.apt.version.DebianVersion;
import dev.rig.apt.version.Relation;
import dev.rig.apt.version.VersionConstraint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compact binary form of a parsed Packages index, so that resolving again reads records instead
 * of parsing 50 MB of deb822 text (the largest cost of extending a lock). Every distinct string and
 * version is written once and referred to by number. The form starts with a magic and a format
 * version and ends with the SHA-256 of everything before it: {@link #decode} refuses any other
 * version and any damaged byte, so a cache never hands out records it did not write.
 */
public final class PackageRecordCodec {
  private static final byte[] MAGIC = "rig-pkgs".getBytes(StandardCharsets.US_ASCII);

  /** Raised with every change of the layout below; entries of other versions are not read. */
  public static final int FORMAT_VERSION = 1;

  private static final int DIGEST_LENGTH = 32;

  private PackageRecordCodec() {}

  /** Why bytes could not be read back: not this format, another version, or damaged. */
  public static final class CorruptRecordsException extends IOException {
    CorruptRecordsException(String message) {
      super(message);
    }

    CorruptRecordsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The records in this form (deterministic for the same list). */
  public static byte[] encode(List<PackageRecord> records) {
    Tables tables = new Tables();
    for (PackageRecord r : records) {
      tables.add(r);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 96 + 1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      varint(out, tables.strings.size());
      for (String s : tables.strings) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(out, utf8.length);
        out.write(utf8);
      }
      varint(out, tables.versions.size());
      for (DebianVersion v : tables.versions) {
        varint(out, v.epoch());
        varint(out, tables.string(v.upstream()));
        varint(out, tables.string(v.revision()));
      }
      varint(out, records.size());
      for (PackageRecord r : records) {
        varint(out, tables.string(r.name()));
        varint(out, tables.version(r.version()));
        varint(out, tables.string(r.architecture()));
        out.writeByte(r.multiArch().ordinal());
        out.writeBoolean(r.essential());
        varint(out, tables.string(r.priority()));
        varint(out, tables.string(r.source()));
        varint(out, tables.version(r.sourceVersion()));
        writeDependencies(out, tables, r.depends());
        writeDependencies(out, tables, r.preDepends());
        writeDependencies(out, tables, r.recommends());
        writeRefs(out, tables, r.provides());
        writeDependencies(out, tables, r.conflicts());
        writeDependencies(out, tables, r.breaks());
        writeDependencies(out, tables, r.replaces());
        varint(out, tables.string(r.filename()));
        varint(out, r.size());
        varint(out, tables.string(r.sha256()));
        varint(out, r.installedSizeKib());
      }
      out.write(sha256(bytes.toByteArray(), bytes.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** The records {@link #encode} wrote into {@code bytes}; refused when anything is off. */
  public static List<PackageRecord> decode(byte[] bytes) throws CorruptRecordsException {
    int header = MAGIC.length + Integer.BYTES;
    if (bytes.length < header + DIGEST_LENGTH
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptRecordsException("not a parsed-index entry (no magic)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - DIGEST_LENGTH);
    in.position(MAGIC.length);
    int format = in.getInt();
    if (format != FORMAT_VERSION) {
      throw new CorruptRecordsException(
          "parsed-index format " + format + ", this rig reads " + FORMAT_VERSION);
    }
    byte[] digest = sha256(bytes, bytes.length - DIGEST_LENGTH);
    if (!Arrays.equals(
        digest, 0, DIGEST_LENGTH, bytes, bytes.length - DIGEST_LENGTH, bytes.length)) {
      throw new CorruptRecordsException("parsed-index entry damaged (checksum differs)");
    }
    try {
      String[] strings = new String[count(in)];
      for (int i = 0; i < strings.length; i++) {
        int length = count(in);
        strings[i] = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
      }
      DebianVersion[] versions = new DebianVersion[count(in)];
      for (int i = 0; i < versions.length; i++) {
        versions[i] = new DebianVersion(varint(in), strings[varint(in)], strings[varint(in)]);
      }
      MultiArch[] multiArch = MultiArch.values();
      int n = count(in);
      List<PackageRecord> records = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        records.add(
            new PackageRecord(
                strings[varint(in)],
                versions[varint(in)],
                strings[varint(in)],
                multiArch[in.get()],
                in.get() != 0,
                strings[varint(in)],
                strings[varint(in)],
                versions[varint(in)],
                readDependencies(in, strings, versions),
                readDependencies(in, strings, versions),
                readDependencies(in, strings, versions),
                readRefs(in, strings, versions),
                readDependencies(in, strings, versions),
                readDependencies(in, strings, versions),
                readDependencies(in, strings, versions),
                strings[varint(in)],
                varlong(in),
                strings[varint(in)],
                varlong(in)));
      }
      if (in.hasRemaining()) {
        throw new CorruptRecordsException(
            "parsed-index entry has " + in.remaining() + " bytes after its records");
      }
      return records;
    } catch (BufferUnderflowException
        | IndexOutOfBoundsException
        | IllegalArgumentException
        | NullPointerException e) {
      throw new CorruptRecordsException("parsed-index entry unreadable: " + e, e);
    }
  }

  /** Numbers as 7 bits a byte, low bits first: most are small table references. */
  private static void varint(DataOutputStream out, long value) throws IOException {
    if (value < 0) {
      throw new IllegalArgumentException("negative number " + value);
    }
    while (value >= 0x80) {
      out.writeByte((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  private static long varlong(ByteBuffer in) throws CorruptRecordsException {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new CorruptRecordsException("parsed-index entry has an overlong number");
  }

  private static int varint(ByteBuffer in) throws CorruptRecordsException {
    long value = varlong(in);
    if (value > Integer.MAX_VALUE) {
      throw new CorruptRecordsException("parsed-index entry has a number out of range");
    }
    return (int) value;
  }

  private static int count(ByteBuffer in) throws CorruptRecordsException {
    int n = varint(in);
    if (n > in.remaining()) {
      throw new CorruptRecordsException("parsed-index entry has a bad count " + n);
    }
    return n;
  }

  private static void writeDependencies(DataOutputStream out, Tables tables, List<Dependency> deps)
      throws IOException {
    varint(out, deps.size());
    for (Dependency d : deps) {
      writeRefs(out, tables, d.alternatives());
    }
  }

  private static void writeRefs(DataOutputStream out, Tables tables, List<PackageRef> refs)
      throws IOException {
    varint(out, refs.size());
    for (PackageRef ref : refs) {
      varint(out, tables.string(ref.name()));
      varint(out, ref.archQualifier().map(a -> tables.string(a) + 1).orElse(0));
      if (ref.constraint().isPresent()) {
        out.writeByte(ref.constraint().get().relation().ordinal() + 1);
        varint(out, tables.version(ref.constraint().get().version()));
      } else {
        out.writeByte(0);
      }
    }
  }

  private static List<Dependency> readDependencies(
      ByteBuffer in, String[] strings, DebianVersion[] versions) throws CorruptRecordsException {
    int n = count(in);
    if (n == 0) {
      return List.of();
    }
    Dependency[] deps = new Dependency[n];
    for (int i = 0; i < n; i++) {
      deps[i] = new Dependency(readRefs(in, strings, versions));
    }
    return List.of(deps);
  }

  private static List<PackageRef> readRefs(
      ByteBuffer in, String[] strings, DebianVersion[] versions) throws CorruptRecordsException {
    int n = count(in);
    if (n == 0) {
      return List.of();
    }
    Relation[] relations = Relation.values();
    PackageRef[] refs = new PackageRef[n];
    for (int i = 0; i < n; i++) {
      String name = strings[varint(in)];
      int arch = varint(in);
      Optional<String> qualifier = arch == 0 ? Optional.empty() : Optional.of(strings[arch - 1]);
      int relation = in.get();
      Optional<VersionConstraint> constraint =
          relation == 0
              ? Optional.empty()
              : Optional.of(new VersionConstraint(relations[relation - 1], versions[varint(in)]));
      refs[i] = new PackageRef(name, qualifier, constraint);
    }
    return List.of(refs);
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Distinct strings and versions in first-seen order, each with its number. */
  private static final class Tables {
    final List<String> strings = new ArrayList<>();
    final List<DebianVersion> versions = new ArrayList<>();
    private final Map<String, Integer> stringIds = new HashMap<>();
    private final Map<DebianVersion, Integer> versionIds = new HashMap<>();

    void add(PackageRecord r) {
      string(r.name());
      version(r.version());
      string(r.architecture());
      string(r.priority());
      string(r.source());
      version(r.sourceVersion());
      for (List<Dependency> deps :
          List.of(
              r.depends(),
              r.preDepends(),
              r.recommends(),
              r.conflicts(),
              r.breaks(),
              r.replaces())) {
        deps.forEach(d -> d.alternatives().forEach(this::add));
      }
      r.provides().forEach(this::add);
      string(r.filename());
      string(r.sha256());
    }

    private void add(PackageRef ref) {
      string(ref.name());
      ref.archQualifier().ifPresent(this::string);
      ref.constraint().ifPresent(c -> version(c.version()));
    }

    int string(String s) {
      return stringIds.computeIfAbsent(
          s,
          k -> {
            strings.add(k);
            return strings.size() - 1;
          });
    }

    int version(DebianVersion v) {
      Integer id = versionIds.get(v);
      if (id != null) {
        return id;
      }
      string(v.upstream());
      string(v.revision());
      versions.add(v);
      versionIds.put(v, versions.size() - 1);
      return versions.size() - 1;
    }
  }
}
