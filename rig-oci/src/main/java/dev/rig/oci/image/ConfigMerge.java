package dev.rig.oci.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges a new config over a base image's config. The rule: a non-empty new value overrides the
 * base value, an empty one keeps it; collections merge.
 *
 * <ul>
 *   <li>Env merges by variable name: base order kept, a new value replaces the base value in place,
 *       new names follow in their own order.
 *   <li>Labels merge by key (new wins); ExposedPorts and Volumes are unions.
 *   <li>Entrypoint, Cmd, User, WorkingDir, StopSignal: new if non-empty, else base. As in Docker,
 *       setting an Entrypoint without a Cmd drops the base Cmd (it held arguments for the base's
 *       entrypoint, not the new one).
 *   <li>architecture, os and created are the new config's; the base must be the same platform.
 *   <li>History and diff_ids are the base's; the assembler appends the new layers.
 * </ul>
 */
public final class ConfigMerge {
  private ConfigMerge() {}

  public static ImageConfig merge(ImageConfig base, ImageConfig overrides) {
    if (!base.platform().equals(overrides.platform())) {
      throw new IllegalArgumentException(
          "base image is " + base.platform() + " but the new image is " + overrides.platform());
    }
    List<String> cmd;
    if (!overrides.cmd().isEmpty()) {
      cmd = overrides.cmd();
    } else if (!overrides.entrypoint().isEmpty()) {
      cmd = List.of();
    } else {
      cmd = base.cmd();
    }
    Map<String, String> labels = new TreeMap<>(base.labels());
    labels.putAll(overrides.labels());
    TreeSet<String> ports = new TreeSet<>(base.exposedPorts());
    ports.addAll(overrides.exposedPorts());
    TreeSet<String> volumes = new TreeSet<>(base.volumes());
    volumes.addAll(overrides.volumes());
    return overrides.toBuilder()
        .env(mergeEnv(base.env(), overrides.env()))
        .entrypoint(orElse(overrides.entrypoint(), base.entrypoint()))
        .cmd(cmd)
        .user(orElse(overrides.user(), base.user()))
        .workingDir(orElse(overrides.workingDir(), base.workingDir()))
        .stopSignal(orElse(overrides.stopSignal(), base.stopSignal()))
        .labels(labels)
        .exposedPorts(ports)
        .volumes(volumes)
        .history(base.history())
        .diffIds(base.diffIds())
        .build();
  }

  static List<String> mergeEnv(List<String> base, List<String> overrides) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String entry : base) {
      byName.put(ImageConfig.envName(entry), entry);
    }
    for (String entry : overrides) {
      byName.put(ImageConfig.envName(entry), entry);
    }
    return new ArrayList<>(byName.values());
  }

  private static <T> List<T> orElse(List<T> value, List<T> fallback) {
    return value.isEmpty() ? fallback : value;
  }

  private static String orElse(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }
}
