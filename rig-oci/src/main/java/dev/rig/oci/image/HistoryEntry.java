package dev.rig.oci.image;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of an image's history.
 *
 * @param created when; null when a base image did not say
 * @param createdBy the command or step that made it
 * @param comment free text; empty when none
 * @param emptyLayer true when the step made no layer (e.g. only changed the config)
 */
public record HistoryEntry(Instant created, String createdBy, String comment, boolean emptyLayer) {
  public HistoryEntry {
    createdBy = Objects.requireNonNullElse(createdBy, "");
    comment = Objects.requireNonNullElse(comment, "");
  }

  public static HistoryEntry layer(Instant created, String createdBy) {
    return new HistoryEntry(created, createdBy, "", false);
  }
}
