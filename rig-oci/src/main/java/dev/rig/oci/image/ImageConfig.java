package dev.rig.oci.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The OCI image configuration. {@link #toJson()} is byte-deterministic: fixed field order, compact
 * output, sorted maps and sets, empty values omitted (an absent Entrypoint or Cmd is what OCI and
 * podman read as "none").
 *
 * @param created SOURCE_DATE_EPOCH or 1970-01-01, never the clock
 * @param env "NAME=value", in order; names are unique
 * @param entrypoint empty when none
 * @param cmd empty when none
 * @param workingDir empty when unset
 * @param user empty when unset (root)
 * @param exposedPorts "22/tcp" form
 * @param volumes absolute paths
 * @param stopSignal empty when unset
 * @param history oldest first
 * @param diffIds rootfs.diff_ids, lowest layer first
 */
public record ImageConfig(
    String architecture,
    String os,
    Instant created,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    SortedSet<String> exposedPorts,
    SortedSet<String> volumes,
    SortedMap<String, String> labels,
    String stopSignal,
    List<HistoryEntry> history,
    List<Digest> diffIds) {

  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}(/(tcp|udp|sctp))?");

  public ImageConfig {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(created, "created");
    env = List.copyOf(env);
    checkEnv(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    workingDir = Objects.requireNonNullElse(workingDir, "");
    user = Objects.requireNonNullElse(user, "");
    exposedPorts = sortedSet(exposedPorts.stream().map(ImageConfig::normalizePort).toList());
    volumes = sortedSet(volumes);
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    stopSignal = Objects.requireNonNullElse(stopSignal, "");
    history = List.copyOf(history);
    diffIds = List.copyOf(diffIds);
  }

  /** An empty linux/amd64 config created at {@code created}. */
  public static Builder builder(Instant created) {
    return new Builder(created);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The platform this config describes. */
  public Platform platform() {
    return new Platform(architecture, os, "");
  }

  /** The config document, deterministic bytes. */
  public byte[] toJson() {
    ObjectNode root = Json.object();
    root.put("created", timestamp(created));
    root.put("architecture", architecture);
    root.put("os", os);
    ObjectNode config = root.putObject("config");
    if (!user.isEmpty()) {
      config.put("User", user);
    }
    if (!exposedPorts.isEmpty()) {
      ObjectNode ports = config.putObject("ExposedPorts");
      exposedPorts.forEach(port -> ports.putObject(port));
    }
    if (!env.isEmpty()) {
      config.set("Env", Json.array(env));
    }
    if (!entrypoint.isEmpty()) {
      config.set("Entrypoint", Json.array(entrypoint));
    }
    if (!cmd.isEmpty()) {
      config.set("Cmd", Json.array(cmd));
    }
    if (!volumes.isEmpty()) {
      ObjectNode node = config.putObject("Volumes");
      volumes.forEach(volume -> node.putObject(volume));
    }
    if (!workingDir.isEmpty()) {
      config.put("WorkingDir", workingDir);
    }
    if (!labels.isEmpty()) {
      config.set("Labels", Json.stringMapNode(labels));
    }
    if (!stopSignal.isEmpty()) {
      config.put("StopSignal", stopSignal);
    }
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.set("diff_ids", Json.array(diffIds.stream().map(Digest::toString).toList()));
    if (!history.isEmpty()) {
      ArrayNode entries = root.putArray("history");
      for (HistoryEntry entry : history) {
        ObjectNode node = entries.addObject();
        if (entry.created() != null) {
          node.put("created", timestamp(entry.created()));
        }
        node.put("created_by", entry.createdBy());
        if (!entry.comment().isEmpty()) {
          node.put("comment", entry.comment());
        }
        if (entry.emptyLayer()) {
          node.put("empty_layer", true);
        }
      }
    }
    return Json.bytes(root);
  }

  /**
   * Reads a config document (OCI or Docker). Fields rig does not model (Healthcheck, OnBuild, ...)
   * are dropped.
   *
   * @throws IllegalArgumentException when required fields are missing or malformed
   */
  public static ImageConfig parse(byte[] json) {
    ObjectNode root = Json.parseObject(json, "image config");
    JsonNode config = root.get("config");
    JsonNode rootfs = root.get("rootfs");
    List<Digest> diffIds = new ArrayList<>();
    for (String diffId : Json.texts(rootfs, "diff_ids")) {
      diffIds.add(Digest.parse(diffId));
    }
    List<HistoryEntry> history = new ArrayList<>();
    JsonNode entries = root.get("history");
    if (entries != null && entries.isArray()) {
      for (JsonNode entry : entries) {
        history.add(
            new HistoryEntry(
                parseTime(Json.text(entry, "created")),
                Json.text(entry, "created_by"),
                Json.text(entry, "comment"),
                entry.path("empty_layer").asBoolean(false)));
      }
    }
    Instant created = parseTime(Json.text(root, "created"));
    return new ImageConfig(
        Json.requiredText(root, "architecture", "image config"),
        Json.requiredText(root, "os", "image config"),
        created == null ? Instant.EPOCH : created,
        Json.texts(config, "Env"),
        Json.texts(config, "Entrypoint"),
        Json.texts(config, "Cmd"),
        Json.text(config, "WorkingDir"),
        Json.text(config, "User"),
        new TreeSet<>(Json.keys(config, "ExposedPorts")),
        new TreeSet<>(Json.keys(config, "Volumes")),
        new TreeMap<>(Json.stringMap(config, "Labels")),
        Json.text(config, "StopSignal"),
        history,
        diffIds);
  }

  /** RFC 3339 in UTC, fractional seconds only when present. */
  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static Instant parseTime(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The name part of an "NAME=value" entry. */
  public static String envName(String entry) {
    int eq = entry.indexOf('=');
    return eq < 0 ? entry : entry.substring(0, eq);
  }

  private static void checkEnv(List<String> env) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String entry : env) {
      String name = envName(entry);
      if (name.isEmpty() || !entry.contains("=")) {
        throw new IllegalArgumentException("env entry must be NAME=value: '" + entry + "'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("env variable " + name + " is set twice");
      }
    }
  }

  private static String normalizePort(String port) {
    if (!PORT.matcher(port).matches()) {
      throw new IllegalArgumentException(
          "exposed port must look like 22, 22/tcp or 53/udp: '" + port + "'");
    }
    return port.contains("/") ? port : port + "/tcp";
  }

  private static SortedSet<String> sortedSet(Collection<String> values) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }

  /** Builds a config step by step; unset fields are empty. */
  public static final class Builder {
    private String architecture = "amd64";
    private String os = "linux";
    private Instant created;
    private List<String> env = List.of();
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private String workingDir = "";
    private String user = "";
    private Collection<String> exposedPorts = List.of();
    private Collection<String> volumes = List.of();
    private Map<String, String> labels = Map.of();
    private String stopSignal = "";
    private List<HistoryEntry> history = List.of();
    private List<Digest> diffIds = List.of();

    private Builder(Instant created) {
      this.created = created;
    }

    private Builder(ImageConfig c) {
      architecture = c.architecture;
      os = c.os;
      created = c.created;
      env = c.env;
      entrypoint = c.entrypoint;
      cmd = c.cmd;
      workingDir = c.workingDir;
      user = c.user;
      exposedPorts = c.exposedPorts;
      volumes = c.volumes;
      labels = c.labels;
      stopSignal = c.stopSignal;
      history = c.history;
      diffIds = c.diffIds;
    }

    public Builder architecture(String value) {
      architecture = value;
      return this;
    }

    public Builder os(String value) {
      os = value;
      return this;
    }

    public Builder created(Instant value) {
      created = value;
      return this;
    }

    public Builder env(List<String> value) {
      env = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      entrypoint = value;
      return this;
    }

    public Builder cmd(List<String> value) {
      cmd = value;
      return this;
    }

    public Builder workingDir(String value) {
      workingDir = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder exposedPorts(Collection<String> value) {
      exposedPorts = value;
      return this;
    }

    public Builder volumes(Collection<String> value) {
      volumes = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    public Builder stopSignal(String value) {
      stopSignal = value;
      return this;
    }

    public Builder history(List<HistoryEntry> value) {
      history = value;
      return this;
    }

    public Builder diffIds(List<Digest> value) {
      diffIds = value;
      return this;
    }

    public ImageConfig build() {
      return new ImageConfig(
          architecture,
          os,
          created,
          env,
          entrypoint,
          cmd,
          workingDir,
          user,
          new TreeSet<>(exposedPorts),
          new TreeSet<>(volumes),
          new TreeMap<>(labels),
          stopSignal,
          history,
          diffIds);
    }
  }
}
