package dev.rig.python.install;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code console_scripts} or {@code gui_scripts} entry of a wheel's entry_points.txt: {@code
 * name = module:attr.path [extras]}, and the launcher script rig writes for it.
 *
 * @param name the script's file name in {@code bin/}
 * @param module the module imported
 * @param attribute the attribute path called, empty when the module itself is run
 */
public record EntryPoint(String name, String module, String attribute) {
  public EntryPoint {
    if (!name.matches("[A-Za-z0-9_.+-][A-Za-z0-9_.+ -]*") || name.contains("/")) {
      throw new IllegalArgumentException("entry point name " + name + " is not a file name");
    }
    if (!module.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new IllegalArgumentException("entry point " + name + ": " + module + " is no module");
    }
    if (!attribute.isEmpty()
        && !attribute.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new IllegalArgumentException(
          "entry point " + name + ": " + attribute + " is no attribute");
    }
  }

  /** The scripts of an entry_points.txt: its console_scripts and gui_scripts sections. */
  public static List<EntryPoint> scripts(String entryPointsTxt) {
    List<EntryPoint> scripts = new ArrayList<>();
    String section = "";
    for (String raw : entryPointsTxt.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      if (!section.equals("console_scripts") && !section.equals("gui_scripts")) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("entry point line without '=': " + line);
      }
      String name = line.substring(0, equals).strip();
      String target = line.substring(equals + 1).strip();
      int extras = target.indexOf('[');
      if (extras >= 0) {
        target = target.substring(0, extras).strip();
      }
      int colon = target.indexOf(':');
      String module = colon < 0 ? target : target.substring(0, colon).strip();
      String attribute = colon < 0 ? "" : target.substring(colon + 1).strip();
      scripts.add(new EntryPoint(name, module, attribute));
    }
    return List.copyOf(scripts);
  }

  /**
   * The launcher: imports the module (and the attribute's first name) and exits with what the
   * callable returns; argv[0] loses a {@code -script.py} suffix as setuptools' launchers do.
   */
  public String script(String shebang) {
    String call;
    String imports;
    if (attribute.isEmpty()) {
      imports = "import runpy";
      call = "runpy.run_module(" + quote(module) + ", run_name=\"__main__\", alter_sys=True)";
    } else {
      String first = attribute.split("\\.")[0];
      imports = "from " + module + " import " + first;
      call = attribute + "()";
    }
    return shebang
        + "\n# -*- coding: utf-8 -*-\n"
        + "# Written by rig for the entry point "
        + name
        + ".\n"
        + "import re\n"
        + "import sys\n"
        + imports
        + "\n"
        + "if __name__ == \"__main__\":\n"
        + "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
        + "    sys.exit("
        + call
        + ")\n";
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
