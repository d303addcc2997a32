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
 * of parsing 50 MB of deb822 text (the largest cost of extending a lock). Every distinct string,
 * version, relation, alternative list and dependency list is written once and referred to by
 * number, and read back as one shared object (a third less live heap for Debian's main index than
 * an object per mention, which the collector would copy on every young collection). The form starts
 * with a magic and a format version and ends with the SHA-256 of everything before it: {@link
 * #decode} refuses any other version and any damaged byte, so a cache never hands out records it
 * did not write.
 */
public final class PackageRecordCodec {
  private static final byte[] MAGIC = "rig-pkgs".getBytes(StandardCharsets.US_ASCII);

  /** Raised with every change of the layout below; entries of other versions are not read. */
  public static final int FORMAT_VERSION = 2;

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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 64 + 1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      varint(out, tables.strings.size());
      for (String s : tables.strings.values) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(out, utf8.length);
        out.write(utf8);
      }
      varint(out, tables.versions.size());
      for (DebianVersion v : tables.versions.values) {
        varint(out, v.epoch());
        varint(out, tables.strings.id(v.upstream()));
        varint(out, tables.strings.id(v.revision()));
      }
      varint(out, tables.refs.size());
      for (PackageRef ref : tables.refs.values) {
        varint(out, tables.strings.id(ref.name()));
        varint(out, ref.archQualifier().map(a -> tables.strings.id(a) + 1).orElse(0));
        if (ref.constraint().isPresent()) {
          out.writeByte(ref.constraint().get().relation().ordinal() + 1);
          varint(out, tables.versions.id(ref.constraint().get().version()));
        } else {
          out.writeByte(0);
        }
      }
      varint(out, tables.refLists.size());
      for (List<PackageRef> refs : tables.refLists.values) {
        varint(out, refs.size());
        for (PackageRef ref : refs) {
          varint(out, tables.refs.id(ref));
        }
      }
      varint(out, tables.dependencyLists.size());
      for (List<Dependency> deps : tables.dependencyLists.values) {
        varint(out, deps.size());
        for (Dependency d : deps) {
          varint(out, tables.refLists.id(d.alternatives()));
        }
      }
      varint(out, records.size());
      for (PackageRecord r : records) {
        varint(out, tables.strings.id(r.name()));
        varint(out, tables.versions.id(r.version()));
        varint(out, tables.strings.id(r.architecture()));
        out.writeByte(r.multiArch().ordinal());
        out.writeBoolean(r.essential());
        varint(out, tables.strings.id(r.priority()));
        varint(out, tables.strings.id(r.source()));
        varint(out, tables.versions.id(r.sourceVersion()));
        varint(out, tables.dependencyLists.id(r.depends()));
        varint(out, tables.dependencyLists.id(r.preDepends()));
        varint(out, tables.dependencyLists.id(r.recommends()));
        varint(out, tables.refLists.id(r.provides()));
        varint(out, tables.dependencyLists.id(r.conflicts()));
        varint(out, tables.dependencyLists.id(r.breaks()));
        varint(out, tables.dependencyLists.id(r.replaces()));
        varint(out, tables.strings.id(r.filename()));
        varint(out, r.size());
        varint(out, tables.strings.id(r.sha256()));
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
      // Each distinct relation, alternative list and dependency list is one shared object: the
      // same "libc6 (>= 2.38)" appears in thousands of records.
      Relation[] relations = Relation.values();
      PackageRef[] refs = new PackageRef[count(in)];
      for (int i = 0; i < refs.length; i++) {
        String name = strings[varint(in)];
        int arch = varint(in);
        int relation = in.get();
        refs[i] =
            new PackageRef(
                name,
                arch == 0 ? Optional.empty() : Optional.of(strings[arch - 1]),
                relation == 0
                    ? Optional.empty()
                    : Optional.of(
                        new VersionConstraint(relations[relation - 1], versions[varint(in)])));
      }
      @SuppressWarnings("unchecked")
      List<PackageRef>[] refLists = new List[count(in)];
      Dependency[] dependencies = new Dependency[refLists.length];
      for (int i = 0; i < refLists.length; i++) {
        PackageRef[] list = new PackageRef[count(in)];
        for (int j = 0; j < list.length; j++) {
          list[j] = refs[varint(in)];
        }
        refLists[i] = List.of(list);
        dependencies[i] = list.length == 0 ? null : new Dependency(refLists[i]);
      }
      @SuppressWarnings("unchecked")
      List<Dependency>[] dependencyLists = new List[count(in)];
      for (int i = 0; i < dependencyLists.length; i++) {
        Dependency[] list = new Dependency[count(in)];
        for (int j = 0; j < list.length; j++) {
          list[j] = dependencies[varint(in)];
        }
        dependencyLists[i] = List.of(list);
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
                dependencyLists[varint(in)],
                dependencyLists[varint(in)],
                dependencyLists[varint(in)],
                refLists[varint(in)],
                dependencyLists[varint(in)],
                dependencyLists[varint(in)],
                dependencyLists[varint(in)],
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

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Distinct values in first-seen order, each with its number. */
  private static final class Table<T> {
    final List<T> values = new ArrayList<>();
    private final Map<T, Integer> ids = new HashMap<>();

    /** Adds {@code value} when new; true when it was. */
    boolean add(T value) {
      if (ids.containsKey(value)) {
        return false;
      }
      ids.put(value, values.size());
      values.add(value);
      return true;
    }

    int id(T value) {
      Integer id = ids.get(value);
      if (id == null) {
        throw new IllegalStateException("not in the table: " + value);
      }
      return id;
    }

    int size() {
      return values.size();
    }
  }

  /** Every table a list of records refers to, each value before anything that refers to it. */
  private static final class Tables {
    final Table<String> strings = new Table<>();
    final Table<DebianVersion> versions = new Table<>();
    final Table<PackageRef> refs = new Table<>();
    final Table<List<PackageRef>> refLists = new Table<>();
    final Table<List<Dependency>> dependencyLists = new Table<>();

    void add(PackageRecord r) {
      strings.add(r.name());
      version(r.version());
      strings.add(r.architecture());
      strings.add(r.priority());
      strings.add(r.source());
      version(r.sourceVersion());
      for (List<Dependency> deps :
          List.of(
              r.depends(),
              r.preDepends(),
              r.recommends(),
              r.conflicts(),
              r.breaks(),
              r.replaces())) {
        dependencies(deps);
      }
      refs(r.provides());
      strings.add(r.filename());
      strings.add(r.sha256());
    }

    private void dependencies(List<Dependency> deps) {
      if (dependencyLists.ids.containsKey(deps)) {
        return;
      }
      deps.forEach(d -> refs(d.alternatives()));
      dependencyLists.add(deps);
    }

    private void refs(List<PackageRef> list) {
      if (refLists.ids.containsKey(list)) {
        return;
      }
      for (PackageRef ref : list) {
        if (refs.add(ref)) {
          strings.add(ref.name());
          ref.archQualifier().ifPresent(strings::add);
          ref.constraint().ifPresent(c -> version(c.version()));
        }
      }
      refLists.add(list);
    }

    private void version(DebianVersion v) {
      if (versions.add(v)) {
        strings.add(v.upstream());
        strings.add(v.revision());
      }
    }
  }
}
