package dev.rig.python.install;

import java.util.List;

/**
 * One wheel as installed into a venv.
 *
 * @param name the distribution name from METADATA
 * @param version its version from METADATA
 * @param wheel the wheel's file name, for messages and layer history
 * @param files every file it put into the venv, relative to the venv, sorted
 * @param bytes the size of those files together (unpacked)
 */
public record InstalledDistribution(
    String name, String version, String wheel, List<String> files, long bytes) {
  public InstalledDistribution {
    files = List.copyOf(files);
  }
}
