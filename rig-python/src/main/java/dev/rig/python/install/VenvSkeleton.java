package dev.rig.python.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of an empty venv, written by rig as {@code python3 -m venv --without-pip} would write
 * them: pyvenv.cfg, the interpreter links in {@code bin/}, {@code lib64 -> lib} and an activate
 * script. No host Python runs, so the bytes depend on the layout alone.
 */
public final class VenvSkeleton {
  private VenvSkeleton() {}

  /** Every path the skeleton writes, relative to the venv, directories included. */
  public static List<String> paths(VenvLayout layout) {
    String minor = "python" + layout.minorVersion();
    return List.of(
        "bin",
        "bin/activate",
        "bin/python",
        "bin/python3",
        "bin/" + minor,
        "include",
        "lib",
        "lib/" + minor,
        "lib/" + layout.sitePackages().substring("lib/".length()),
        "lib64",
        "pyvenv.cfg");
  }

  public static void write(Path venvDir, VenvLayout layout) throws IOException {
    Files.createDirectories(venvDir.resolve("bin"));
    Files.createDirectories(venvDir.resolve("include"));
    Files.createDirectories(venvDir.resolve(layout.sitePackages()));
    String minor = "python" + layout.minorVersion();
    Files.createSymbolicLink(venvDir.resolve("bin/python"), Path.of(layout.interpreter()));
    Files.createSymbolicLink(venvDir.resolve("bin/python3"), Path.of("python"));
    Files.createSymbolicLink(venvDir.resolve("bin/" + minor), Path.of("python"));
    Files.createSymbolicLink(venvDir.resolve("lib64"), Path.of("lib"));
    write(venvDir.resolve("pyvenv.cfg"), pyvenvCfg(layout), "rw-r--r--");
    write(venvDir.resolve("bin/activate"), activate(layout), "rw-r--r--");
  }

  /**
   * What venv writes; {@code include-system-site-packages = false} keeps Debian's dist-packages
   * out, so the venv sees exactly the locked wheels.
   */
  static String pyvenvCfg(VenvLayout layout) {
    return "home = "
        + layout.home()
        + "\ninclude-system-site-packages = false\nversion = "
        + layout.pythonVersion()
        + "\nexecutable = "
        + layout.interpreter()
        + "\ncommand = "
        + layout.interpreter()
        + " -m venv --without-pip "
        + layout.venv()
        + "\n";
  }

  /** A POSIX-shell activate script: the venv first on PATH, {@code deactivate} undoes it. */
  static String activate(VenvLayout layout) {
    return "# Source this file from sh or bash: . "
        + layout.venv()
        + "/bin/activate (written by rig)\n"
        + "deactivate () {\n"
        + "    if [ -n \"${_OLD_VIRTUAL_PATH:-}\" ]; then\n"
        + "        PATH=\"$_OLD_VIRTUAL_PATH\"; export PATH; unset _OLD_VIRTUAL_PATH\n"
        + "    fi\n"
        + "    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT\n"
        + "    hash -r 2>/dev/null\n"
        + "    [ \"${1:-}\" = nondestructive ] || unset -f deactivate\n"
        + "}\n"
        + "deactivate nondestructive\n"
        + "VIRTUAL_ENV=\""
        + layout.venv()
        + "\"; export VIRTUAL_ENV\n"
        + "VIRTUAL_ENV_PROMPT=\""
        + layout.venv().substring(layout.venv().lastIndexOf('/') + 1)
        + "\"; export VIRTUAL_ENV_PROMPT\n"
        + "_OLD_VIRTUAL_PATH=\"$PATH\"\n"
        + "PATH=\"$VIRTUAL_ENV/bin:$PATH\"; export PATH\n"
        + "hash -r 2>/dev/null\n";
  }

  private static void write(Path file, String text, String mode) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    WheelInstaller.setMode(file, mode);
  }
}
