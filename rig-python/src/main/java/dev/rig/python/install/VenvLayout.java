package dev.rig.python.install;

import java.util.Objects;

/**
 * Where a virtual environment lives in the image and which Python runs it: every path the installer
 * writes is derived here, so that the venv, its scripts' shebangs and its pyvenv.cfg agree.
 *
 * @param venv the venv's absolute path in the image, e.g. {@code /opt/venv}
 * @param pythonVersion the interpreter's full version, e.g. {@code 3.13.5}
 * @param interpreter the absolute path of the image's interpreter, e.g. {@code /usr/bin/python3.13}
 */
public record VenvLayout(String venv, String pythonVersion, String interpreter) {
  public VenvLayout {
    Objects.requireNonNull(venv, "venv");
    if (!venv.startsWith("/") || venv.endsWith("/") || venv.contains("//")) {
      throw new IllegalArgumentException("the venv path must be absolute, not " + venv);
    }
    if (!pythonVersion.matches("[0-9]+\\.[0-9]+(\\.[0-9]+)?")) {
      throw new IllegalArgumentException("not a Python version: " + pythonVersion);
    }
    if (!interpreter.startsWith("/")) {
      throw new IllegalArgumentException("the interpreter path must be absolute: " + interpreter);
    }
  }

  /** {@code MAJOR.MINOR}, as the site-packages path spells it. */
  public String minorVersion() {
    String[] parts = pythonVersion.split("\\.");
    return parts[0] + "." + parts[1];
  }

  /** Relative to the venv: {@code lib/python3.13/site-packages}. */
  public String sitePackages() {
    return "lib/python" + minorVersion() + "/site-packages";
  }

  /** Relative to the venv: where a wheel's headers go, {@code include/site/python3.13/NAME}. */
  public String headers(String distribution) {
    return "include/site/python" + minorVersion() + "/" + distribution;
  }

  /** The shebang of every script rig writes into {@code bin/}. */
  public String shebang() {
    return "#!" + venv + "/bin/python";
  }

  /** The directory of the interpreter: pyvenv.cfg's {@code home}. */
  public String home() {
    return interpreter.substring(0, interpreter.lastIndexOf('/'));
  }
}
