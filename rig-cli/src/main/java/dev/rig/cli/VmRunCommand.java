package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.VmRunRequest;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.VmRunReport;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rig vm run}: boots an image's VM build with the best hypervisor here and shows its serial
 * console; SIGTERM or Ctrl-C powers the guest off.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Boots NAME (built with --out vm:DIR first) or the VM build in --dir with Firecracker or"
            + " cloud-hypervisor when installed, else QEMU (with KVM when it really works, else"
            + " emulating the CPU), SSH forwarded from 127.0.0.1. The serial console goes to"
            + " stdout; SIGTERM or Ctrl-C asks the guest to power off.")
final class VmRunCommand implements Callable<Integer> {
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "The image to build as a VM and boot (not with --dir).")
  String name;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Boot this VM build (DIR/<image>/ of rig build --out vm:DIR) as it is.")
  Path dir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where NAME's VM build goes (default: .rig/vm next to the spec).")
  Path out;

  @Option(
      names = "--ssh-port",
      paramLabel = "PORT",
      description = "The loopback port SSH is forwarded from (default: a free one, printed).")
  Integer sshPort;

  @Option(
      names = "--ssh-key",
      paramLabel = "FILE",
      description =
          "A public key file root may log in with (passed on the run's read-only config disk).")
  Path sshKey;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "NAME[=VALUE]",
      description =
          "A variable for the guest's entrypoint, as a container's -e (repeatable): NAME=VALUE, or"
              + " NAME alone for rig's own value, which keeps a secret such as ROOT_PASSWORD out of"
              + " the process list. It travels on the run's read-only config disk, not on the"
              + " kernel command line.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--gpu",
      paramLabel = "PCI_ADDRESS",
      description =
          "Pass this PCI device through with VFIO (repeatable), after a preflight of the IOMMU,"
              + " its group, vfio-pci binding, /dev/vfio and locked memory.")
  List<String> gpus = new ArrayList<>();

  @Option(
      names = "--bind",
      description = "Bind the --gpu devices' IOMMU groups to vfio-pci (needs root).")
  boolean bind;

  @Option(
      names = "--tap",
      paramLabel = "DEVICE",
      defaultValue = "rig-tap0",
      description =
          "The TAP device Firecracker and cloud-hypervisor attach to (default: ${DEFAULT-VALUE}).")
  String tap;

  @Option(
      names = "--stop-timeout",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description =
          "How long the guest gets to power off when stopped before the VM is ended (default:"
              + " ${DEFAULT-VALUE}).")
  int stopTimeout;

  @Option(
      names = "--dry-run",
      description =
          "Write firecracker.json, cloud-hypervisor.sh and qemu.sh next to the VM build and print"
              + " the command; start nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    if ((dir == null) == (name == null)) {
      throw new ParameterException(
          command.commandLine(), "give either NAME or --dir DIR (rig vm run --dir out/vm/NAME)");
    }
    if (stopTimeout < 0 || stopTimeout > 600) {
      throw new ParameterException(
          command.commandLine(), "--stop-timeout must be 0..600 seconds, not " + stopTimeout);
    }
    try (CommandSession session = CommandSession.openLines(command, project)) {
      Rig rig = session.rig();
      Path vmDir = dir == null ? build(rig) : dir;
      // The VM may run for hours; a `rig cache gc` meanwhile need not wait for it.
      rig.releaseCache();
      VmRunRequest request =
          new VmRunRequest(
              vmDir,
              sshPort == null ? OptionalInt.empty() : OptionalInt.of(sshPort),
              Optional.ofNullable(sshKey),
              variables(System.getenv()),
              gpus,
              bind,
              tap,
              Duration.ofSeconds(stopTimeout),
              dryRun);
      PrintWriter err = session.err();
      PrintWriter out = session.out();
      if (dryRun) {
        VmRunReport report = rig.vmRun(request, OutputStream.nullOutputStream());
        for (Path file : report.files()) {
          err.println(report.image() + ": wrote " + file);
        }
        err.flush();
        out.println(report.commandLine());
        out.flush();
        return 0;
      }
      out.flush();
      // The console is raw bytes from the guest: straight to stdout, not through a writer.
      OutputStream console = new FileOutputStream(FileDescriptor.out);
      VmRunReport report = rig.vmRun(request, console);
      return report.exitCode().orElse(0);
    }
  }

  /** The --env options as a map; NAME alone takes {@code own}'s value (rig's environment). */
  private Map<String, String> variables(Map<String, String> own) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String option : env) {
      int eq = option.indexOf('=');
      String key = eq < 0 ? option : option.substring(0, eq);
      if (!VARIABLE_NAME.matcher(key).matches()) {
        throw new ParameterException(
            command.commandLine(),
            "--env "
                + key
                + ": not a variable name (letters, digits and _, not starting with a digit); give"
                + " NAME=VALUE or NAME");
      }
      String value = eq < 0 ? own.get(key) : option.substring(eq + 1);
      if (value == null) {
        throw new ParameterException(
            command.commandLine(),
            "--env " + key + ": not set in rig's environment; export it or give " + key + "=VALUE");
      }
      if (value.indexOf('\n') >= 0) {
        throw new ParameterException(
            command.commandLine(),
            "--env "
                + key
                + ": the value holds a newline, which the guest cannot take; use one line");
      }
      variables.put(key, value);
    }
    return variables;
  }

  /** Builds NAME and writes its VM build; returns the image's folder in it. */
  private Path build(Rig rig) throws Exception {
    var spec = rig.load(project.spec());
    List<BuiltImage> images = rig.build(spec, List.of(name), project.locked);
    Path target =
        out != null ? out : spec.file().toAbsolutePath().getParent().resolve(".rig").resolve("vm");
    rig.export(spec, images, new OutputTarget.VmDirectory(target), project.locked);
    return target.resolve(name);
  }
}
