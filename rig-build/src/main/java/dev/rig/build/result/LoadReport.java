package dev.rig.build.result;

import java.util.List;

/** Images loaded into a container engine: the names they have there, and what it printed. */
public record LoadReport(String engine, List<String> loadedNames, String engineOutput) {
  public LoadReport {
    loadedNames = List.copyOf(loadedNames);
  }
}
