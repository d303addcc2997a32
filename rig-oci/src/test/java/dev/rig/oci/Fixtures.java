package dev.rig.oci;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small layer inputs made only of in-memory bytes, so their tars are the same everywhere. */
public final class Fixtures {
  public static final String LONG_DIR =
      "/opt/a-directory-name-that-is-quite-long/and-another-one-that-is-also-long/"
          + "and-a-third-level-to-pass-one-hundred-bytes";
  public static final String LONG_FILE = LONG_DIR + "/file-with-a-long-name.txt";
  public static final String LONG_TARGET =
      "../../../../some/very/long/relative/symlink/target/that/is/longer/than/one/hundred/"
          + "bytes/so/it/needs/a/pax/linkpath/record";

  private Fixtures() {}

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A small layer exercising every entry type, long names, setuid and owners. */
  public static List<LayerEntry> sampleEntries() {
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory("/etc", 0755, 0, 0));
    entries.add(LayerEntry.file("/etc/hostname", Content.ofBytes(utf8("rig\n")), 0644, 0, 0));
    entries.add(
        LayerEntry.file("/bin/tool", Content.ofBytes(utf8("#!/bin/sh\necho tool\n")), 0755, 0, 0));
    entries.add(LayerEntry.hardlink("/bin/tool-link", "/bin/tool"));
    entries.add(
        LayerEntry.file(
            "/usr/local/bin/suid", Content.ofBytes(utf8("setuid binary\n")), 04755, 0, 0));
    entries.add(LayerEntry.symlink("/usr/bin/sh", "/bin/tool", 0, 0));
    entries.add(LayerEntry.directory("/tmp", 01777, 0, 0));
    entries.add(LayerEntry.directory("/home/user", 0700, 1000, 1000));
    entries.add(
        LayerEntry.file(
            "/home/user/.profile", Content.ofBytes(utf8("export A=1\n")), 0600, 1000, 1000));
    entries.add(LayerEntry.file(LONG_FILE, Content.ofBytes(utf8("long\n")), 0644, 0, 0));
    entries.add(LayerEntry.symlink("/opt/long-link", LONG_TARGET, 0, 0));
    entries.add(
        LayerEntry.file(
            "/opt/unicode-\u00e9t\u00e9.txt", Content.ofBytes(utf8("\u00e9\n")), 0644, 0, 0));
    entries.add(LayerEntry.file("/opt/empty", Content.ofBytes(new byte[0]), 0444, 0, 0));
    entries.add(LayerEntry.file("/opt/block", Content.ofBytes(new byte[1024]), 0644, 0, 0));
    return entries;
  }

  public static LayerInput sample() {
    return new LayerInput(sampleEntries(), "rig: sample layer");
  }

  public static LayerInput sampleReversed() {
    List<LayerEntry> entries = new ArrayList<>(sampleEntries());
    Collections.reverse(entries);
    return new LayerInput(entries, "rig: sample layer");
  }
}
