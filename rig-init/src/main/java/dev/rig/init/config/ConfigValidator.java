package dev.rig.init.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a parsed runtime.json for mistakes Jackson cannot see; returns every problem at once. */
public final class ConfigValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private ConfigValidator() {}

  public static List<String> problems(RuntimeConfig config) {
    List<String> problems = new ArrayList<>();
    Map<String, ServiceSpec> services = config.services();
    for (Map.Entry<String, ServiceSpec> e : services.entrySet()) {
      String where = "services." + e.getKey();
      ServiceSpec s = e.getValue();
      if (!NAME.matcher(e.getKey()).matches()) {
        problems.add(
            where + ": service names use letters, digits, '_', '.', '-' and start alphanumeric");
      }
      if (s == null) {
        problems.add(where + ": is empty; give it at least an argv");
        continue;
      }
      if (s.argv().isEmpty() || s.argv().get(0).isBlank()) {
        problems.add(where + ".argv: is empty; name the program to run, e.g. [\"/usr/sbin/sshd\"]");
      }
      for (String dep : s.dependsOn()) {
        if (dep.equals(e.getKey())) {
          problems.add(where + ".dependsOn: a service cannot depend on itself");
        } else if (!services.containsKey(dep)) {
          problems.add(
              where + ".dependsOn: unknown service '" + dep + "'; known: " + services.keySet());
        }
      }
      if (!StopSignal.NAMES.contains(s.stopSignal())) {
        problems.add(
            where
                + ".stopSignal: unknown signal '"
                + s.stopSignal()
                + "'; use one of "
                + StopSignal.NAMES);
      }
      if (s.stopTimeout().isNegative()) {
        problems.add(where + ".stopTimeout: must not be negative");
      }
      RestartSpec r = s.restart();
      if (r.maxRestarts() != null && r.maxRestarts() < 0) {
        problems.add(where + ".restart.maxRestarts: must not be negative");
      }
      if (r.initialDelay().isNegative() || r.maxDelay().compareTo(r.initialDelay()) < 0) {
        problems.add(where + ".restart: need 0 <= initialDelay <= maxDelay");
      }
      if (s.log().maxBytes() < 1024 || s.log().keep() < 1) {
        problems.add(where + ".log: need maxBytes >= 1024 and keep >= 1");
      }
      if (s.readiness() != null) {
        for (String p : s.readiness().problems()) {
          problems.add(where + "." + p);
        }
      }
      for (String rel : s.configData().keySet()) {
        Path p = Path.of(rel).normalize();
        if (rel.isBlank() || p.isAbsolute() || p.startsWith("..")) {
          problems.add(
              where
                  + ".configData: '"
                  + rel
                  + "' must be a relative path inside the service's config directory");
        }
      }
    }
    for (String type : config.startup().sshHostKeyTypes()) {
      if (!StartupSettings.SSH_HOST_KEY_TYPES.contains(type)) {
        problems.add(
            "startup.sshHostKeyTypes: '"
                + type
                + "' is not offered by rig's sshd; use "
                + StartupSettings.SSH_HOST_KEY_TYPES
                + " (DSA, ECDSA and short RSA keys are left out on purpose)");
      }
    }
    Duration scriptTimeout = config.startup().extraStartupScriptTimeout();
    if (scriptTimeout.isNegative() || scriptTimeout.isZero()) {
      problems.add(
          "startup.extraStartupScriptTimeout: must be more than 0, got "
              + Durations.format(scriptTimeout));
    }
    problems.addAll(secretProblems(config));
    Optional<List<String>> cycle = DependencyOrder.findCycle(services);
    cycle.ifPresent(c -> problems.add("services: dependency cycle " + String.join(" -> ", c)));
    return List.copyOf(problems);
  }

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

  private static List<String> secretProblems(RuntimeConfig config) {
    List<String> problems = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < config.secrets().size(); i++) {
      SecretSpec s = config.secrets().get(i);
      String where = "secrets[" + i + "]";
      if (s == null || s.name() == null || !NAME.matcher(s.name()).matches()) {
        problems.add(
            where
                + ".name: a file name of letters, digits, '_', '.', '-' that starts alphanumeric");
        continue;
      }
      if (!names.add(s.name())) {
        problems.add(where + ".name: '" + s.name() + "' is declared twice");
      }
      if (s.source() == null || !s.source().startsWith("/")) {
        problems.add(
            where + ".source: an absolute path in the image, e.g. /etc/rig/secrets/NAME.age");
      }
      if (!MODE.matcher(s.mode()).matches()) {
        problems.add(
            where + ".mode: octal permission bits such as \"0400\", got '" + s.mode() + "'");
      }
    }
    for (String id : config.secretIdentities()) {
      if (id == null || !id.startsWith("/")) {
        problems.add("secretIdentities: '" + id + "' is not an absolute path");
      }
    }
    String key = config.tailscale().authKeySecret();
    if (key != null && !names.contains(key)) {
      problems.add("tailscale.authKeySecret: no secret named '" + key + "'; declared: " + names);
    }
    return problems;
  }
}
