package dev.rig.build.packages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seccomp program maintainer scripts run under (bubblewrap's {@code --seccomp FD} takes it as
 * compiled classic BPF): system calls that no package script needs and that reach past the image
 * (mounts, kernel modules, kexec, keyrings, eBPF, perf, ptrace, new namespaces, device nodes, the
 * clock) fail with EPERM, as in a default podman container. The capabilities the sandbox drops
 * refuse most of them already; the filter also holds where a capability would not (ptrace of a
 * sibling, unprivileged user namespaces, keyrings).
 *
 * <p>Only x86_64 has a table: rig installs amd64 packages, which run on an x86_64 host. Calls from
 * any other ABI (i386 {@code int 0x80}, x32) are refused whole.
 */
final class SeccompFilter {
  private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
  private static final int X32_BIT = 0x40000000;

  private static final int EPERM = 1;
  private static final int ENOSYS = 38;
  private static final int RET_ALLOW = 0x7fff0000;
  private static final int RET_ERRNO = 0x00050000;

  // Classic BPF opcodes (linux/filter.h).
  private static final short LD_W_ABS = 0x20;
  private static final short JEQ_K = 0x15;
  private static final short JSET_K = 0x45;
  private static final short AND_K = 0x54;
  private static final short RET_K = 0x06;
  private static final short JA = 0x05;

  // Offsets in struct seccomp_data: nr, arch, instruction pointer, then six 64-bit arguments; the
  // low half of an argument comes first on a little-endian host.
  private static final int NR = 0;
  private static final int ARCH = 4;
  private static final int ARG0 = 16;
  private static final int ARG1 = 24;
  private static final int ARG2 = 32;

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
  private static final int CLONE_NAMESPACES = 0x7e020000;

  /** x86_64 numbers of the calls refused outright, by name. */
  static final Map<String, Integer> REFUSED =
      Map.ofEntries(
          Map.entry("ptrace", 101),
          Map.entry("syslog", 103),
          Map.entry("uselib", 134),
          Map.entry("vhangup", 153),
          Map.entry("pivot_root", 155),
          Map.entry("adjtimex", 159),
          Map.entry("acct", 163),
          Map.entry("settimeofday", 164),
          Map.entry("mount", 165),
          Map.entry("umount2", 166),
          Map.entry("swapon", 167),
          Map.entry("swapoff", 168),
          Map.entry("reboot", 169),
          Map.entry("sethostname", 170),
          Map.entry("setdomainname", 171),
          Map.entry("iopl", 172),
          Map.entry("ioperm", 173),
          Map.entry("init_module", 175),
          Map.entry("delete_module", 176),
          Map.entry("quotactl", 179),
          Map.entry("lookup_dcookie", 212),
          Map.entry("clock_settime", 227),
          Map.entry("kexec_load", 246),
          Map.entry("add_key", 248),
          Map.entry("request_key", 249),
          Map.entry("keyctl", 250),
          Map.entry("unshare", 272),
          Map.entry("perf_event_open", 298),
          Map.entry("name_to_handle_at", 303),
          Map.entry("open_by_handle_at", 304),
          Map.entry("clock_adjtime", 305),
          Map.entry("setns", 308),
          Map.entry("process_vm_readv", 310),
          Map.entry("process_vm_writev", 311),
          Map.entry("kcmp", 312),
          Map.entry("finit_module", 313),
          Map.entry("kexec_file_load", 320),
          Map.entry("bpf", 321),
          Map.entry("userfaultfd", 323),
          Map.entry("open_tree", 428),
          Map.entry("move_mount", 429),
          Map.entry("fsopen", 430),
          Map.entry("fsconfig", 431),
          Map.entry("fsmount", 432),
          Map.entry("fspick", 433),
          Map.entry("mount_setattr", 442));

  private static final int CLONE = 56;
  private static final int MKNOD = 133;
  private static final int MKNODAT = 259;
  private static final int CLONE3 = 435;

  private SeccompFilter() {}

  /** The program for this host, or empty where rig has no table for its architecture. */
  static Optional<byte[]> forHost() {
    String arch = System.getProperty("os.arch", "");
    return arch.equals("amd64") || arch.equals("x86_64") ? Optional.of(x86_64()) : Optional.empty();
  }

  /** The compiled program: {@code struct sock_filter} records in the host's byte order. */
  static byte[] x86_64() {
    Program p = new Program();
    p.load(ARCH);
    p.jumpIfEqual(AUDIT_ARCH_X86_64, "native", "deny");
    p.label("native");
    p.load(NR);
    p.jumpIfAnySet(X32_BIT, "deny", "next");
    p.label("next");
    REFUSED.values().stream()
        .sorted()
        .forEach(
            nr -> {
              String after = "after-" + nr;
              p.jumpIfEqual(nr, "deny", after);
              p.label(after);
            });
    p.jumpIfEqual(MKNOD, "mknod", "not-mknod");
    p.label("not-mknod");
    p.jumpIfEqual(MKNODAT, "mknodat", "not-mknodat");
    p.label("not-mknodat");
    p.jumpIfEqual(CLONE, "clone", "not-clone");
    p.label("not-clone");
    // clone3 passes its flags in memory, out of a filter's reach: "not implemented" makes the C
    // library fall back to clone, whose flags are checked.
    p.jumpIfEqual(CLONE3, "enosys", "allow");
    p.label("allow");
    p.ret(RET_ALLOW);
    // mknod makes fifos and sockets too, which packages ship; only device nodes are refused.
    p.label("mknod");
    p.load(ARG1);
    p.jump("mode");
    p.label("mknodat");
    p.load(ARG2);
    p.label("mode");
    p.and(S_IFMT);
    p.jumpIfEqual(S_IFCHR, "deny", "not-chr");
    p.label("not-chr");
    p.jumpIfEqual(S_IFBLK, "deny", "allow-mknod");
    p.label("allow-mknod");
    p.ret(RET_ALLOW);
    p.label("clone");
    p.load(ARG0);
    p.jumpIfAnySet(CLONE_NAMESPACES, "deny", "allow-clone");
    p.label("allow-clone");
    p.ret(RET_ALLOW);
    p.label("deny");
    p.ret(RET_ERRNO | EPERM);
    p.label("enosys");
    p.ret(RET_ERRNO | ENOSYS);
    return p.compile();
  }

  /** A straight-line BPF program with forward jumps to named labels, resolved when compiled. */
  private static final class Program {
    private record Insn(short code, String whenTrue, String whenFalse, int k) {}

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    void label(String name) {
      if (labels.putIfAbsent(name, insns.size()) != null) {
        throw new IllegalStateException("label " + name + " twice");
      }
    }

    void load(int offset) {
      insns.add(new Insn(LD_W_ABS, null, null, offset));
    }

    void and(int mask) {
      insns.add(new Insn(AND_K, null, null, mask));
    }

    void jumpIfEqual(int value, String whenTrue, String whenFalse) {
      insns.add(new Insn(JEQ_K, whenTrue, whenFalse, value));
    }

    void jumpIfAnySet(int bits, String whenTrue, String whenFalse) {
      insns.add(new Insn(JSET_K, whenTrue, whenFalse, bits));
    }

    void jump(String label) {
      insns.add(new Insn(JA, label, null, 0));
    }

    void ret(int action) {
      insns.add(new Insn(RET_K, null, null, action));
    }

    byte[] compile() {
      ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
      for (int pc = 0; pc < insns.size(); pc++) {
        Insn insn = insns.get(pc);
        out.putShort(insn.code());
        if (insn.code() == JA) {
          // An unconditional jump keeps its distance in k.
          out.put((byte) 0).put((byte) 0).putInt(offset(pc, insn.whenTrue()) & 0xff);
          continue;
        }
        out.put(offset(pc, insn.whenTrue()));
        out.put(offset(pc, insn.whenFalse()));
        out.putInt(insn.k());
      }
      return out.array();
    }

    /** BPF jumps count instructions after the next one, forward only, at most 255. */
    private byte offset(int pc, String label) {
      if (label == null) {
        return 0;
      }
      Integer target = labels.get(label);
      if (target == null) {
        throw new IllegalStateException("no label " + label);
      }
      int distance = target - pc - 1;
      if (distance < 0 || distance > 255) {
        throw new IllegalStateException("jump to " + label + " out of range: " + distance);
      }
      return (byte) distance;
    }
  }
}
