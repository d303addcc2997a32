package dev.rig.apt.deb;

import java.util.Map;
import java.util.TreeMap;

/**
 * Owner names to numeric ids, read from the image's {@code /etc/passwd} and {@code /etc/group}.
 * dpkg resolves a package's owner names against the target system, not the build host, so rig does
 * the same; a name the image does not know falls back to the id in the archive, as dpkg does.
 */
public record IdMap(Map<String, Integer> users, Map<String, Integer> groups) {
  /** Only root: what an image without passwd/group gets. */
  public static final IdMap ROOT_ONLY = new IdMap(Map.of("root", 0), Map.of("root", 0));

  public IdMap {
    users = Map.copyOf(users);
    groups = Map.copyOf(groups);
  }

  /** Parses passwd and group text ({@code name:x:id:...}); malformed lines are ignored. */
  public static IdMap parse(String passwd, String group) {
    return new IdMap(ids(passwd), ids(group));
  }

  private static Map<String, Integer> ids(String text) {
    Map<String, Integer> out = new TreeMap<>();
    out.put("root", 0);
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && !f[0].isEmpty()) {
        try {
          out.put(f[0], Integer.parseInt(f[2].strip()));
        } catch (NumberFormatException e) {
          // not a passwd/group line
        }
      }
    }
    return out;
  }

  /** The uid for an archive owner; {@code where} names the package and path for errors. */
  public int uid(String name, long archiveId, String where) {
    return resolve(users, name, archiveId, "uid", where);
  }

  public int gid(String name, long archiveId, String where) {
    return resolve(groups, name, archiveId, "gid", where);
  }

  private static int resolve(
      Map<String, Integer> map, String name, long archiveId, String what, String where) {
    Integer mapped = name.isEmpty() ? null : map.get(name);
    long id = mapped != null ? mapped : archiveId;
    if (id < 0 || id > 65535) {
      throw new IllegalArgumentException(
          where
              + ": "
              + what
              + " "
              + id
              + (name.isEmpty() ? "" : " (" + name + ")")
              + " is not within 0..65535; add the name to the image's passwd/group");
    }
    return (int) id;
  }
}
