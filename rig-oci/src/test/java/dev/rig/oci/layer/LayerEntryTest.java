package dev.rig.oci.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerEntryTest {
  private static final Content ONE = Content.ofBytes(new byte[] {1});

  @Test
  void normalisesPaths() {
    assertEquals("/usr/bin/x", LayerEntry.file("//usr/./bin//x/", ONE, 0755, 0, 0).path());
    assertEquals("/a/b", LayerEntry.hardlink("/a/c", "/a//b/").linkTarget());
  }

  @Test
  void rejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("rel/x", ONE, 0644, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/a/../x", ONE, 0644, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/", ONE, 0644, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/x", ONE, 010000, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/x", ONE, 0644, 65536, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/x", ONE, 0644, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/x", null, 0644, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.symlink("/x", "", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.hardlink("/x", "/x"));
    assertThrows(IllegalArgumentException.class, () -> LayerEntry.file("/a\0b", ONE, 0644, 0, 0));
  }

  @Test
  void acceptsTheFullIdRangeAndSpecialBits() {
    LayerEntry entry = LayerEntry.file("/x", ONE, 07777, 65535, 65535);
    assertEquals(07777, entry.mode());
  }

  @Test
  void planRejectsConflictsAndPathsBelowFiles() {
    LayerInput conflict =
        new LayerInput(
            List.of(LayerEntry.file("/x", ONE, 0644, 0, 0), LayerEntry.file("/x", ONE, 0600, 0, 0)),
            "t");
    assertThrows(IllegalArgumentException.class, () -> LayerPlan.of(conflict));
    LayerInput belowFile =
        new LayerInput(
            List.of(
                LayerEntry.file("/x", ONE, 0644, 0, 0), LayerEntry.file("/x/y", ONE, 0644, 0, 0)),
            "t");
    assertThrows(IllegalArgumentException.class, () -> LayerPlan.of(belowFile));
    LayerInput danglingLink = new LayerInput(List.of(LayerEntry.hardlink("/x", "/y")), "t");
    assertThrows(IllegalArgumentException.class, () -> LayerPlan.of(danglingLink));
  }

  @Test
  void planKeepsIdenticalDuplicatesAndExplicitDirectoryModes() {
    LayerPlan plan =
        LayerPlan.of(
            new LayerInput(
                List.of(
                    LayerEntry.file("/d/x", ONE, 0644, 0, 0),
                    LayerEntry.file("/d/x", ONE, 0644, 0, 0),
                    LayerEntry.directory("/d", 0700, 7, 7)),
                "t"));
    assertEquals(2, plan.entries().size());
    assertEquals(0700, plan.byPath().get("/d").mode());
  }

  @Test
  void hardlinkBytesGoToTheNameWrittenFirst() {
    LayerPlan plan =
        LayerPlan.of(
            new LayerInput(
                List.of(
                    LayerEntry.file("/z", ONE, 0751, 3, 4),
                    LayerEntry.hardlink("/a", "/z"),
                    LayerEntry.hardlink("/m", "/a")),
                "t"));
    assertEquals(EntryType.FILE, plan.byPath().get("/a").type());
    assertEquals(0751, plan.byPath().get("/a").mode());
    assertEquals(EntryType.HARDLINK, plan.byPath().get("/m").type());
    assertEquals("/a", plan.byPath().get("/m").linkTarget());
    assertEquals("/a", plan.byPath().get("/z").linkTarget());
    assertEquals(3, plan.byPath().get("/z").uid());
  }
}
