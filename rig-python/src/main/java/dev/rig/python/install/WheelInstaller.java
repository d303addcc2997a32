package dev.rig.python.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Installs wheels into a venv directory the way pip does (PEP 427), but deterministically: files in
 * name order, fixed modes, entry-point launchers rig writes itself, RECORD rewritten in sorted
 * order and INSTALLER {@code rig}. Two wheels that would write the same file are an error naming
 * both, where pip would let the later one win silently.
 *
 * <p>The venv directory is a host directory standing for {@link VenvLayout#venv()} in the image;
 * nothing written depends on where it lies on the host.
 */
public final class WheelInstaller {
  private static final String INSTALLER = "rig";

  private final VenvLayout layout;

  public WheelInstaller(VenvLayout layout) {
    this.layout = layout;
  }

  /**
   * Installs {@code wheels} into {@code venvDir} (which {@link VenvSkeleton} made), in the given
   * order; the result has one entry per wheel, in the same order.
   */
  public List<InstalledDistribution> install(Path venvDir, List<Path> wheels) throws IOException {
    return install(venvDir, wheels, wheels.stream().map(w -> w.getFileName().toString()).toList());
  }

  /** {@link #install(Path, List)} for wheels stored under other names than their own. */
  public List<InstalledDistribution> install(Path venvDir, List<Path> wheels, List<String> names)
      throws IOException {
    if (names.size() != wheels.size()) {
      throw new IllegalArgumentException("one name per wheel");
    }
    Map<String, String> owners = new HashMap<>();
    List<InstalledDistribution> installed = new ArrayList<>();
    for (int i = 0; i < wheels.size(); i++) {
      try (WheelArchive archive = WheelArchive.open(wheels.get(i), names.get(i))) {
        installed.add(installOne(venvDir, archive, owners));
      }
    }
    return List.copyOf(installed);
  }

  private InstalledDistribution installOne(
      Path venvDir, WheelArchive wheel, Map<String, String> owners) throws IOException {
    Map<String, String> metadata = wheel.headers("METADATA");
    String name = required(wheel, metadata, "Name");
    String version = required(wheel, metadata, "Version");
    Map<String, String> wheelInfo = wheel.headers("WHEEL");
    String wheelVersion = wheelInfo.getOrDefault("Wheel-Version", "1.0");
    if (!wheelVersion.startsWith("1.")) {
      throw new WheelException(
          wheel.fileName()
              + " is a wheel of format "
              + wheelVersion
              + "; rig installs format 1.x (rebuild it with a current wheel tool)");
    }
    String site = layout.sitePackages();
    String distInfo = wheel.distInfo();
    String data = wheel.dataDir();
    // venv-relative path -> RECORD line (hash and size), and the files in install order.
    Map<String, String> record = new TreeMap<>();
    long bytes = 0;
    for (ZipArchiveEntry entry : wheel.files()) {
      String inWheel = entry.getName();
      if (inWheel.startsWith(distInfo + "/")) {
        String file = inWheel.substring(distInfo.length() + 1);
        if (file.equals("RECORD")
            || file.equals("RECORD.jws")
            || file.equals("RECORD.p7s")
            || file.equals("INSTALLER")) {
          continue;
        }
      }
      Target target = target(wheel, inWheel, site, data, name);
      claim(owners, target.path, wheel.fileName());
      Path host = venvDir.resolve(target.path);
      Files.createDirectories(host.getParent());
      Written written;
      try (InputStream in = wheel.open(entry)) {
        written = write(host, in, target.script);
      }
      boolean executable = target.script || WheelArchive.isExecutable(entry);
      setMode(host, executable ? "rwxr-xr-x" : "rw-r--r--");
      record.put(target.path, written.recordFields());
      bytes += written.size;
    }
    String shebang = layout.shebang();
    List<EntryPoint> scripts =
        EntryPoint.scripts(wheel.distInfoText("entry_points.txt").orElse(""));
    for (EntryPoint script : scripts) {
      String path = "bin/" + script.name();
      claim(owners, path, wheel.fileName() + " (entry point " + script.name() + ")");
      Path host = venvDir.resolve(path);
      Files.createDirectories(host.getParent());
      byte[] text = script.script(shebang).getBytes(StandardCharsets.UTF_8);
      Files.write(host, text);
      setMode(host, "rwxr-xr-x");
      record.put(path, fields(text));
      bytes += text.length;
    }
    String installerPath = site + "/" + distInfo + "/INSTALLER";
    claim(owners, installerPath, wheel.fileName());
    byte[] installer = (INSTALLER + "\n").getBytes(StandardCharsets.UTF_8);
    writeFile(venvDir.resolve(installerPath), installer);
    record.put(installerPath, fields(installer));
    String recordPath = site + "/" + distInfo + "/RECORD";
    claim(owners, recordPath, wheel.fileName());
    StringBuilder lines = new StringBuilder();
    record.forEach(
        (path, fields) ->
            lines.append(csv(relativeToSite(path, site))).append(',').append(fields).append('\n'));
    lines.append(csv(relativeToSite(recordPath, site))).append(",,\n");
    byte[] recordBytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    writeFile(venvDir.resolve(recordPath), recordBytes);
    bytes += installer.length + recordBytes.length;
    List<String> files = new ArrayList<>(record.keySet());
    files.add(recordPath);
    files.sort(null);
    return new InstalledDistribution(name, version, wheel.fileName(), files, bytes);
  }

  private record Target(String path, boolean script) {}

  /** Where one file of the wheel goes, relative to the venv. */
  private Target target(WheelArchive wheel, String inWheel, String site, String data, String name)
      throws WheelException {
    if (!inWheel.startsWith(data + "/")) {
      return new Target(site + "/" + inWheel, false);
    }
    String rest = inWheel.substring(data.length() + 1);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new WheelException(wheel.fileName() + ": " + inWheel + " is not in a .data scheme");
    }
    String scheme = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    return switch (scheme) {
      case "purelib", "platlib" -> new Target(site + "/" + path, false);
      case "scripts" -> {
        if (path.contains("/")) {
          throw new WheelException(
              wheel.fileName() + ": script " + inWheel + " is in a subdirectory of scripts");
        }
        yield new Target("bin/" + path, true);
      }
      case "headers" -> new Target(layout.headers(name) + "/" + path, false);
      case "data" -> new Target(path, false);
      default ->
          throw new WheelException(
              wheel.fileName()
                  + ": "
                  + inWheel
                  + " is in the unknown .data scheme '"
                  + scheme
                  + "' (known: purelib, platlib, scripts, headers, data)");
    };
  }

  private static void claim(Map<String, String> owners, String path, String wheel)
      throws WheelException {
    String before = owners.putIfAbsent(path, wheel);
    if (before != null) {
      throw new WheelException(
          "two wheels install "
              + path
              + ": "
              + before
              + " and "
              + wheel
              + "; drop one of the requirements that pull them in, or pin versions that do not"
              + " overlap");
    }
  }

  private record Written(long size, byte[] sha256) {
    String recordFields() {
      return "sha256="
          + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256)
          + ","
          + size;
    }
  }

  /**
   * Copies one file, hashing as it goes; a script's {@code #!python} first line becomes the venv's
   * interpreter, as the wheel spec asks.
   */
  private Written write(Path host, InputStream in, boolean script) throws IOException {
    MessageDigest sha = sha256();
    long size = 0;
    try (OutputStream out = Files.newOutputStream(host)) {
      byte[] first = script ? in.readNBytes(4096) : new byte[0];
      if (script && startsWith(first, "#!python")) {
        int end = indexOf(first, (byte) '\n');
        byte[] rest =
            end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(first, end, first.length);
        byte[] line = layout.shebang().getBytes(StandardCharsets.UTF_8);
        out.write(line);
        out.write(rest);
        sha.update(line);
        sha.update(rest);
        size += line.length + rest.length;
      } else {
        out.write(first);
        sha.update(first);
        size += first.length;
      }
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        sha.update(buffer, 0, n);
        size += n;
      }
    }
    return new Written(size, sha.digest());
  }

  private static void writeFile(Path host, byte[] bytes) throws IOException {
    Files.createDirectories(host.getParent());
    Files.write(host, bytes);
    setMode(host, "rw-r--r--");
  }

  private static String fields(byte[] bytes) {
    return new Written(bytes.length, sha256().digest(bytes)).recordFields();
  }

  static void setMode(Path host, String mode) throws IOException {
    if (!Files.isSymbolicLink(host)) {
      Files.setPosixFilePermissions(host, PosixFilePermissions.fromString(mode));
    }
  }

  /** RECORD paths are relative to site-packages: files elsewhere are reached with '..'. */
  private static String relativeToSite(String venvPath, String site) {
    if (venvPath.startsWith(site + "/")) {
      return venvPath.substring(site.length() + 1);
    }
    return "../".repeat(site.split("/").length) + venvPath;
  }

  private static String csv(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }

  private static String required(WheelArchive wheel, Map<String, String> fields, String key)
      throws WheelException {
    String value = fields.get(key);
    if (value == null || value.isBlank()) {
      throw new WheelException(wheel.fileName() + ": METADATA has no " + key + " field");
    }
    return value;
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (bytes[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
