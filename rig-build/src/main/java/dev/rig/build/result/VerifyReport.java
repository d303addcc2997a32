package dev.rig.build.result;

import java.util.List;

/**
 * What {@code rig verify} found: the digest the reference resolved to, a line per check, and the
 * attestations whose signatures verified.
 *
 * @param verified some signature passed every check (and, when asked, every attestation did)
 */
public record VerifyReport(
    String reference,
    String digest,
    List<Line> lines,
    List<String> attestations,
    boolean verified) {
  public VerifyReport {
    lines = List.copyOf(lines);
    attestations = List.copyOf(attestations);
  }

  /** One check: passed or not, and what it says. */
  public record Line(boolean passed, String text) {}
}
