package dev.rig.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The default tool sets an image that installs packages gets (the schema's {@code Environment}).
 * The package lists are here and in the schema's documentation; a test keeps them equal.
 */
public record EnvironmentSpec(boolean core, boolean dev, boolean network, boolean shell) {
  public static final List<String> CORE =
      List.of(
          "bash",
          "coreutils",
          "findutils",
          "grep",
          "sed",
          "gawk",
          "tar",
          "gzip",
          "xz-utils",
          "bzip2",
          "unzip",
          "less",
          "nano",
          "procps",
          "util-linux",
          "sudo",
          "tini",
          "git",
          "openssl",
          "ca-certificates",
          "pciutils");
  public static final List<String> DEV =
      List.of(
          "gcc",
          "make",
          "binutils",
          "file",
          "patchelf",
          "pkg-config",
          "python3",
          "python3-pip",
          "python3-venv");
  public static final List<String> NETWORK =
      List.of(
          "curl", "wget", "iproute2", "iputils-ping", "netcat-openbsd", "openssh-client", "rclone");
  public static final List<String> SHELL = List.of("tmux", "ripgrep", "fzf", "bash-completion");

  /** The schema's defaults: core, network and shell on, dev off. */
  public static final EnvironmentSpec DEFAULT = new EnvironmentSpec(true, false, true, true);

  /** Everything off. */
  public static final EnvironmentSpec NONE = new EnvironmentSpec(false, false, false, false);

  /** The packages of the sets that are on, in set order. */
  public List<String> packages() {
    List<String> packages = new ArrayList<>();
    if (core) {
      packages.addAll(CORE);
    }
    if (dev) {
      packages.addAll(DEV);
    }
    if (network) {
      packages.addAll(NETWORK);
    }
    if (shell) {
      packages.addAll(SHELL);
    }
    return List.copyOf(packages);
  }
}
