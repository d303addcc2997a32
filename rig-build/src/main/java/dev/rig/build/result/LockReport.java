package dev.rig.build.result;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code rig lock} or {@code rig update} recorded: one line per pin it made (e.g. {@code gpu:
 * 195 packages locked}) and the file written.
 */
public record LockReport(List<String> pinned, Path file) {
  public LockReport {
    pinned = List.copyOf(pinned);
  }
}
