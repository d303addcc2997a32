package dev.rig.init.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One supervised service as runtime.json declares it.
 *
 * @param argv the program and its arguments, run without a shell
 * @param env variables added to (and overriding) rig-init's environment
 * @param workingDir the directory it starts in; rig-init's own when null
 * @param stopSignal sent to the service's process group on stop (TERM by default)
 * @param stopTimeout how long to wait after the stop signal before SIGKILL to the group; separate
 *     from the restart delay, unlike nimi
 * @param dependsOn services that must be ready before this one starts
 * @param readiness how to tell this service is ready; ready as soon as started when null
 * @param configData files (relative path → content) written to a private directory that the service
 *     sees as XDG_CONFIG_HOME
 * @param essential when true, a permanent failure of this service stops the container with exit
 *     code 1 (supervisord#712)
 */
public record ServiceSpec(
    List<String> argv,
    Map<String, String> env,
    String workingDir,
    RestartSpec restart,
    String stopSignal,
    Duration stopTimeout,
    List<String> dependsOn,
    ReadinessProbe readiness,
    Map<String, String> configData,
    LogOptions log,
    Boolean essential) {

  public ServiceSpec {
    argv = argv == null ? List.of() : List.copyOf(argv);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    restart = restart == null ? RestartSpec.DEFAULT : restart;
    stopSignal = stopSignal == null ? "TERM" : StopSignal.normalise(stopSignal);
    stopTimeout = stopTimeout == null ? Duration.ofSeconds(10) : stopTimeout;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    configData =
        configData == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configData));
    log = log == null ? LogOptions.DEFAULT : log;
    essential = essential == null ? Boolean.FALSE : essential;
  }

  /** A service with only argv set, everything else defaulted; handy for tests and builders. */
  public static ServiceSpec of(List<String> argv) {
    return new ServiceSpec(argv, null, null, null, null, null, null, null, null, null, null);
  }

  public ServiceSpec withDependsOn(List<String> deps) {
    return new ServiceSpec(
        argv,
        env,
        workingDir,
        restart,
        stopSignal,
        stopTimeout,
        deps,
        readiness,
        configData,
        log,
        essential);
  }

  public ServiceSpec withReadiness(ReadinessProbe probe) {
    return new ServiceSpec(
        argv,
        env,
        workingDir,
        restart,
        stopSignal,
        stopTimeout,
        dependsOn,
        probe,
        configData,
        log,
        essential);
  }

  public ServiceSpec withRestart(RestartSpec r) {
    return new ServiceSpec(
        argv,
        env,
        workingDir,
        r,
        stopSignal,
        stopTimeout,
        dependsOn,
        readiness,
        configData,
        log,
        essential);
  }

  public ServiceSpec withStop(String signal, Duration timeout) {
    return new ServiceSpec(
        argv,
        env,
        workingDir,
        restart,
        signal,
        timeout,
        dependsOn,
        readiness,
        configData,
        log,
        essential);
  }
}
