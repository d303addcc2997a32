package dev.rig.registry.auth;

import java.util.Locale;

/** How registry names in auth files are compared: scheme and path dropped, Hub aliases joined. */
final class RegistryKeys {
  private RegistryKeys() {}

  static String normalize(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
      return "docker.io";
    }
    return k;
  }

  /** The server name a credential helper expects: Docker Hub keeps its historic URL. */
  static String helperServer(String registry) {
    return normalize(registry).equals("docker.io") ? "https://index.docker.io/v1/" : registry;
  }
}
