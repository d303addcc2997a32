package dev.rig.python.install;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials of Python indexes, found at build time and held only in memory: a user and
 * password written in an index URL as {@code ${VARIABLE}}s (read from the environment), else the
 * netrc entry of the index's host. Every URL rig records or prints goes through {@link
 * #withoutCredentials} first.
 */
public final class IndexCredentials {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)\\}");

  /** A user and password; {@link #toString} hides the password. */
  public record UserPassword(String user, String password) {
    @Override
    public String toString() {
      return "UserPassword[user=" + user + ", password=***]";
    }
  }

  /** Credentials by {@code scheme://host:port}. */
  private final Map<String, UserPassword> authorization;

  private IndexCredentials(Map<String, UserPassword> authorization) {
    this.authorization = Map.copyOf(authorization);
  }

  public static IndexCredentials none() {
    return new IndexCredentials(Map.of());
  }

  /**
   * @param indexUrls the indexes as the spec writes them
   * @param env the environment the {@code ${VARIABLE}}s are read from
   * @param netrc the netrc file, when there is one
   */
  public static IndexCredentials of(
      List<String> indexUrls, Map<String, String> env, Optional<Path> netrc) throws IOException {
    Map<String, String[]> machines = netrc.isPresent() ? readNetrc(netrc.get()) : Map.of();
    Map<String, UserPassword> authorization = new HashMap<>();
    for (String index : indexUrls) {
      URI uri = URI.create(expandNothing(index));
      String origin = origin(uri);
      String userInfo = rawUserInfo(index);
      if (!userInfo.isEmpty()) {
        String[] parts = userInfo.split(":", 2);
        String user = expand(parts[0], env, index);
        String password = parts.length > 1 ? expand(parts[1], env, index) : "";
        authorization.put(origin, new UserPassword(user, password));
      } else {
        String[] entry = machines.getOrDefault(uri.getHost(), machines.get(""));
        if (entry != null) {
          authorization.putIfAbsent(origin, new UserPassword(entry[0], entry[1]));
        }
      }
    }
    return new IndexCredentials(authorization);
  }

  /** The netrc file a user has: NETRC, else ~/.netrc, when it exists. */
  public static Optional<Path> defaultNetrc(Map<String, String> env) {
    String named = env.get("NETRC");
    Path file =
        named != null && !named.isBlank()
            ? Path.of(named)
            : Path.of(System.getProperty("user.home"), ".netrc");
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** The headers a request to {@code uri} carries: Authorization for a known index host. */
  public Map<String, String> headersFor(URI uri) {
    UserPassword value = authorization.get(origin(uri));
    return value == null
        ? Map.of()
        : Map.of("Authorization", basic(value.user(), value.password()));
  }

  /** The credentials for requests to {@code uri}'s host, when there are any. */
  public Optional<UserPassword> forUri(URI uri) {
    return Optional.ofNullable(authorization.get(origin(uri)));
  }

  /** {@code url} without its user and password, as rig.lock and messages show it. */
  public static String withoutCredentials(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int slash = url.indexOf('/', start);
    int end = slash < 0 ? url.length() : slash;
    int at = url.lastIndexOf('@', end - 1);
    if (at < start) {
      return url;
    }
    return url.substring(0, start) + url.substring(at + 1);
  }

  private static String rawUserInfo(String url) {
    String without = withoutCredentials(url);
    if (without.equals(url)) {
      return "";
    }
    int start = url.indexOf("://") + 3;
    int at = url.indexOf('@', start);
    return url.substring(start, at);
  }

  /** The URL with its user info dropped, so that '${' does not upset the URI parser. */
  private static String expandNothing(String url) {
    return withoutCredentials(url);
  }

  private static String expand(String text, Map<String, String> env, String index)
      throws IOException {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        throw new IOException(
            "the index "
                + withoutCredentials(index)
                + " takes its credentials from ${"
                + m.group(1)
                + "}, which is not set; export it before running rig");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String origin(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getScheme().toLowerCase(java.util.Locale.ROOT)
        + "://"
        + String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT)
        + ":"
        + port;
  }

  /** machine → {login, password}; the {@code default} entry under "". */
  private static Map<String, String[]> readNetrc(Path file) throws IOException {
    List<String> tokens = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String stripped = line.strip();
      if (stripped.startsWith("#")) {
        continue;
      }
      for (String token : stripped.split("\\s+")) {
        if (!token.isEmpty()) {
          tokens.add(token);
        }
      }
    }
    Map<String, String[]> machines = new HashMap<>();
    String machine = null;
    String[] entry = null;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      switch (token) {
        case "machine" -> {
          machine = next;
          entry = new String[] {"", ""};
          machines.put(machine, entry);
          i++;
        }
        case "default" -> {
          machine = "";
          entry = new String[] {"", ""};
          machines.put(machine, entry);
        }
        case "login" -> {
          if (entry != null) {
            entry[0] = next;
          }
          i++;
        }
        case "password" -> {
          if (entry != null) {
            entry[1] = next;
          }
          i++;
        }
        default -> {}
      }
    }
    return machines;
  }
}
