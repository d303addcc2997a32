package dev.rig.build.vm;

import java.util.List;
import java.util.Map;

/**
 * The initramfs's {@code /init}, run by busybox as the VM's PID 1. It does in a few milliseconds
 * what a container engine does before a container starts, so that the image's own entrypoint (tini,
 * rig-init) runs as it does in a container: load the virtio modules, mount the root disk, mount
 * /proc, /sys, /dev, /dev/pts, /dev/shm, /run, /tmp and cgroup2 into it, set the hostname, bring
 * the network up (QEMU user networking's fixed addresses), take the operator's settings (SSH keys,
 * ROOT_PASSWORD, variables) from the read-only config disk {@code rig vm run} attaches (its device
 * named by {@code rig.config=} on the kernel command line), then run the entrypoint chrooted into
 * the disk, with those settings in its environment only, and stay PID 1 to power the machine off
 * cleanly when the entrypoint ends, on {@code poweroff} in the guest (SIGUSR2) and on SIGTERM.
 *
 * <p>Staying PID 1 (instead of switch_root) keeps the shutdown in busybox, which has the reboot
 * system call, and leaves the image untouched: its tini and rig-init already work when they are not
 * PID 1.
 */
final class InitScript {
  /** Where the guest-side {@code poweroff} sends its signal, and what the init answers to. */
  static final String POWEROFF_SIGNAL = "USR2";

  /**
   * Where the decoded settings wait for the entrypoint: in the initramfs, which the chrooted guest
   * cannot see, and removed once the entrypoint's shell has read them.
   */
  static final String SETTINGS_FILE = "/rig-settings.env";

  private InitScript() {}

  /**
   * The shell function {@code read_config DEVICE FILE}: checks the config disk's header ({@code
   * RIGCFG1 LENGTH} in sector 0) and decodes its base64 payload (from byte 512) into FILE; returns
   * non-zero, saying why on the console, for a disk that is not one. Prints no setting.
   */
  static String readConfigFunction() {
    return String.join(
        "\n",
        "read_config() {",
        "  header=$(dd if=\"$1\" bs=512 count=1 2>/dev/null | head -n 1)",
        "  magic=${header%% *}; length=${header#* }",
        "  if [ \"$magic\" != RIGCFG1 ]; then echo \"rig-vm: $1 is not a rig config disk\"; return 1; fi",
        "  case \"$length\" in ''|*[!0-9]*) echo \"rig-vm: $1: bad length\"; return 1 ;; esac",
        "  dd if=\"$1\" bs=512 skip=1 count=$(( (length + 511) / 512 )) 2>/dev/null"
            + " | head -c \"$length\" | base64 -d > \"$2\" || { echo \"rig-vm: $1: bad payload\"; return 1; }",
        "}");
  }

  /**
   * @param modules module names in load order (files /lib/modules/NAME.ko)
   * @param command the image's entrypoint and cmd
   * @param env the image's environment
   * @param shmMiB the size of /dev/shm (a limit, not an allocation); 0 leaves the kernel's default
   */
  static String of(
      List<String> modules,
      List<String> command,
      Map<String, String> env,
      String workingDir,
      String hostname,
      int shmMiB) {
    // tini is not PID 1 here: as a subreaper it still reaps the orphans of the services.
    StringBuilder envArgs = new StringBuilder(" TINI_SUBREAPER=1");
    env.forEach((k, v) -> envArgs.append(' ').append(quote(k + "=" + v)));
    StringBuilder commandArgs = new StringBuilder();
    command.forEach(word -> commandArgs.append(' ').append(quote(word)));
    return String.join(
        "\n",
        "#!/bin/busybox sh",
        "# rig microVM init (PID 1): see docs/vm-artifacts.md.",
        "/bin/busybox --install -s /bin",
        "export PATH=/bin",
        "mount -t proc proc /proc",
        "mount -t sysfs sysfs /sys",
        "mount -t devtmpfs devtmpfs /dev",
        "for m in " + String.join(" ", modules) + "; do",
        "  insmod /lib/modules/$m.ko 2>/dev/null || echo \"rig-vm: module $m not loaded\"",
        "done",
        // The ACPI power button (QEMU's system_powerdown, cloud-hypervisor's power-button) and
        // Ctrl-Alt-Del (Firecracker's SendCtrlAltDel, which the kernel then sends to PID 1 as
        // SIGINT) both end in the same clean stop as a guest poweroff.
        "echo 0 > /proc/sys/kernel/ctrl-alt-del",
        "mkdir -p /etc/acpi/PWRF",
        "printf '#!/bin/busybox sh\\nkill -" + POWEROFF_SIGNAL + " 1\\n' > /etc/acpi/PWRF/00000080",
        "chmod 755 /etc/acpi/PWRF/00000080",
        "mkdir -p /var/log /var/run",
        "acpid -c /etc/acpi -l /var/log/acpid.log",
        "root=/dev/vda; config=; name=" + quote(hostname),
        "for word in $(cat /proc/cmdline); do",
        "  case \"$word\" in",
        "    root=/dev/*) root=${word#root=} ;;",
        "    rig.config=/dev/*) config=${word#rig.config=} ;;",
        "    rig.hostname=*) name=${word#rig.hostname=} ;;",
        "  esac",
        "done",
        "fail() { echo \"rig-vm: $*\"; sync; poweroff -f; reboot -f; }",
        "i=0; while [ ! -b \"$root\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
        // Before /dev moves into the disk: the config disk's node is read here.
        readConfigFunction(),
        "umask 077",
        ": > " + SETTINGS_FILE,
        "if [ -n \"$config\" ]; then",
        "  i=0; while [ ! -b \"$config\" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done",
        "  read_config \"$config\" " + SETTINGS_FILE + " || : > " + SETTINGS_FILE,
        "fi",
        "umask 022",
        "mkdir -p /newroot",
        "mount -t ext4 -o rw,noatime \"$root\" /newroot || fail \"cannot mount $root\"",
        "r=/newroot",
        "mkdir -p $r/proc $r/sys $r/dev $r/run $r/tmp",
        "mount -t proc proc $r/proc",
        "mount -t sysfs sysfs $r/sys",
        "mount -t cgroup2 cgroup2 $r/sys/fs/cgroup 2>/dev/null",
        "mount --move /dev $r/dev",
        // The initramfs's own /dev is empty now; the shell opens /dev/null for every redirect
        // below and for the stdin of the background entrypoint (without it the entrypoint did not
        // start and the VM powered off at once, in 2 of 4 boots here).
        "[ -e /dev/null ] || mknod -m 666 /dev/null c 1 3",
        "mkdir -p $r/dev/pts $r/dev/shm",
        "mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts $r/dev/pts",
        "mount -t tmpfs -o mode=1777,nosuid,nodev"
            + (shmMiB > 0 ? ",size=" + shmMiB + "m" : "")
            + " shm $r/dev/shm",
        "mount -t tmpfs -o mode=0755,nosuid,nodev run $r/run",
        "mount -t tmpfs -o mode=1777,nosuid,nodev tmp $r/tmp",
        "hostname \"$name\"",
        "ip link set lo up",
        "if [ -e /sys/class/net/eth0 ]; then",
        "  ip link set eth0 up",
        // The guest's own address on QEMU's user-mode network, where hostfwd delivers the forwarded
        // loopback port; no default route: the guest reaches nothing off that virtual link.
        "  ip addr add 10.0.2.15/24 dev eth0",
        "fi",
        "stop() {",
        "  [ -n \"$child\" ] && kill -TERM $child 2>/dev/null",
        "  i=0; while kill -0 $child 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done",
        "  kill -TERM -1 2>/dev/null; sleep 0.2; kill -KILL -1 2>/dev/null",
        "  sync",
        "  umount $r/dev/pts $r/dev/shm $r/dev $r/run $r/tmp $r/sys/fs/cgroup $r/sys $r/proc"
            + " 2>/dev/null",
        "  mount -o remount,ro $r; sync",
        "  poweroff -f; reboot -f",
        "}",
        "trap stop TERM INT " + POWEROFF_SIGNAL,
        // The settings are exported by a busybox shell of the initramfs, which then removes them
        // and enters the disk: they reach the entrypoint's environment and no file of the guest.
        "env -i"
            + envArgs
            + " /bin/busybox sh -c '"
            + "while IFS= read -r line; do case \"$line\" in *=*) export \"$line\" ;; esac;"
            + " done < "
            + SETTINGS_FILE
            + "; rm -f "
            + SETTINGS_FILE
            + "; exec chroot "
            + "/newroot /bin/sh -c \"cd \\\"\\$0\\\" 2>/dev/null || cd /; exec \\\"\\$@\\\"\" \"$0\" \"$@\"' "
            + quote(workingDir)
            + commandArgs
            + " &",
        "child=$!",
        "while kill -0 $child 2>/dev/null; do wait $child; done",
        "stop",
        "");
  }

  /** The guest's {@code poweroff}: asks PID 1 to stop everything and power off. */
  static String poweroff() {
    return "#!/bin/sh\n# rig microVM: PID 1 stops the services, syncs and powers off.\nexec kill -"
        + POWEROFF_SIGNAL
        + " 1\n";
  }

  /** {@code word} in single quotes for sh. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
