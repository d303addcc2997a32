package dev.rig.build.vm.run;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The firmware image the KVM probe boots: kvm-probe.S (next to this class's resources) assembled.
 * It walks the vCPU from reset into 64-bit long mode, writing R, P, then LOK to the serial port, so
 * the probe sees how far a guest gets.
 */
final class KvmProbeImage {
  /**
   * QEMU maps a BIOS of a multiple of 64 KiB below 1 MiB and 4 GiB; the reset vector is 16 bytes
   * from the end.
   */
  static final int SIZE = 0x10000;

  private static final int RESET_VECTOR = 0xFFF0;

  /** kvm-probe.S's code and tables from offset 0. */
  private static final String CODE =
      "fabaf803b052ee2e660f0116c0000f20c06683c8010f22c066ea20000f00080066b810008ed88ec08ed0b050ee"
          + "c7050010000003200000c7050410000000000000c7050020000083000000c7050420000000000000b80010"
          + "00000f22d80f20e083c8200f22e0b9800000c00f320d000100000f300f20c00d000000800f22c0ea86000f"
          + "00180066baf803b04ceeb04feeb04beeb00aeef4ebfd8db400008d74000000000000000000ffff0000009a"
          + "cf00ffff00000092cf00ffff0000009aaf001f00a0000f00";

  /** {@code ljmp $0xF000, $0}: from the reset vector to the code at the image's start. */
  private static final String RESET_JUMP = "ea000000f0";

  /** What the serial port shows once the vCPU runs 64-bit code. */
  static final String LONG_MODE_MARKER = "LOK";

  private KvmProbeImage() {}

  static byte[] bytes() {
    byte[] image = new byte[SIZE];
    // hlt everywhere the code does not reach, as the assembler's fill writes it
    Arrays.fill(image, RESET_VECTOR, SIZE, (byte) 0xf4);
    byte[] code = HexFormat.of().parseHex(CODE);
    System.arraycopy(code, 0, image, 0, code.length);
    byte[] jump = HexFormat.of().parseHex(RESET_JUMP);
    System.arraycopy(jump, 0, image, RESET_VECTOR, jump.length);
    return image;
  }
}
