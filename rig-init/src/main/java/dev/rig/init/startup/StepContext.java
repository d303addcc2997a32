package dev.rig.init.startup;

import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a startup step reads: the filesystem root (/ in a container, a temp dir in tests), the
 * environment, the settings, and where a user script's output goes.
 */
public record StepContext(
    Path root, Map<String, String> env, StartupSettings settings, OutputSink out) {
  public StepContext {
    env = Map.copyOf(env);
  }

  /** A container path such as "/etc/shadow" under the root. */
  public Path path(String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  /** Whether the root is the real one; tests use another and some choices follow from it. */
  public boolean realRoot() {
    return root.toAbsolutePath().normalize().toString().equals("/");
  }

  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }
}
