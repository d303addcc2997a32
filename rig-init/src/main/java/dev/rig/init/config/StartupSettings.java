package dev.rig.init.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings for the startup steps that run before services, and for the built-in sshd.
 *
 * @param sshd whether to prepare and run sshd as a built-in service
 * @param sshPort the port sshd listens on
 * @param sshListenAddress the address sshd binds; null binds every address (IPv4 and IPv6)
 * @param sshdPath absolute path of sshd (sshd re-executes itself and insists on an absolute path)
 * @param sshHostKeyTypes host key types generated at start when missing
 * @param skipSshdWhenPortBusy when rig-init is not PID 1 (vast.ai's on-start) and something already
 *     listens on sshPort, leave SSH to the platform instead of failing to bind
 * @param secretsDir where secrets are decrypted at run time, never stored in a layer
 * @param extraStartupScript a bash script run once, last, before services start
 * @param shmMinBytes /dev/shm smaller than this gets a warning (PyTorch DataLoader, NCCL need it)
 * @param cudaVersion the image's CUDA version (major.minor); the CUDA_VERSION variable when null
 * @param mainStopTimeout how long the main command gets after SIGTERM before SIGKILL
 * @param extraStartupScriptTimeout how long extraStartupScript may run before its process group is
 *     killed and services start anyway (sshd is up already, to debug it)
 */
public record StartupSettings(
    Boolean sshd,
    Integer sshPort,
    String sshListenAddress,
    String sshdPath,
    List<String> sshHostKeyTypes,
    Boolean skipSshdWhenPortBusy,
    String secretsDir,
    String extraStartupScript,
    Long shmMinBytes,
    String cudaVersion,
    Duration mainStopTimeout,
    Duration extraStartupScriptTimeout) {
  /** The host key types rig's sshd offers (its HostKeyAlgorithms allow no others). */
  public static final List<String> SSH_HOST_KEY_TYPES = List.of("ed25519", "rsa");

  /** The default limit on extraStartupScript; the spec's runtime.extraStartupScriptTimeout. */
  public static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofMinutes(10);

  public static final StartupSettings DEFAULT =
      new StartupSettings(null, null, null, null, null, null, null, null, null, null, null, null);

  public StartupSettings {
    sshd = sshd == null ? Boolean.FALSE : sshd;
    sshPort = sshPort == null ? 22 : sshPort;
    sshdPath = sshdPath == null ? "/usr/sbin/sshd" : sshdPath;
    sshHostKeyTypes = sshHostKeyTypes == null ? SSH_HOST_KEY_TYPES : List.copyOf(sshHostKeyTypes);
    skipSshdWhenPortBusy = skipSshdWhenPortBusy == null ? Boolean.TRUE : skipSshdWhenPortBusy;
    secretsDir = secretsDir == null ? "/run/secrets" : secretsDir;
    shmMinBytes = shmMinBytes == null ? 1L << 30 : shmMinBytes;
    mainStopTimeout = mainStopTimeout == null ? Duration.ofSeconds(10) : mainStopTimeout;
    extraStartupScriptTimeout =
        extraStartupScriptTimeout == null ? DEFAULT_SCRIPT_TIMEOUT : extraStartupScriptTimeout;
  }

  /** A copy with sshd switched on at {@code port} bound to {@code address}; for tests and tools. */
  public StartupSettings withSshd(int port, String address) {
    return new StartupSettings(
        true,
        port,
        address,
        sshdPath,
        sshHostKeyTypes,
        skipSshdWhenPortBusy,
        secretsDir,
        extraStartupScript,
        shmMinBytes,
        cudaVersion,
        mainStopTimeout,
        extraStartupScriptTimeout);
  }
}
