package dev.rig.python.wheel;

/**
 * One PEP 425 compatibility tag: interpreter, ABI and platform, e.g. {@code
 * cp313-abi3-manylinux_2_17_x86_64}.
 */
public record Tag(String interpreter, String abi, String platform) {
  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
