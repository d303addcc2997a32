package dev.rig.registry.model;

import dev.rig.oci.digest.Digest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed image name: {@code [HOST[:PORT]/]PATH[:TAG][@sha256:HEX]}, with Docker's defaults (no
 * host means Docker Hub, a one-part Hub path gets {@code library/}, neither tag nor digest means
 * {@code latest}).
 *
 * @param registry the host as the user names it ({@code docker.io} for Docker Hub)
 * @param repository the path inside the registry, e.g. {@code library/debian}
 * @param tag empty when only a digest was given
 * @param digest present for a pinned reference
 */
public record ImageReference(
    String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_API = "registry-1.docker.io";
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Parses an image name.
   *
   * @throws IllegalArgumentException naming the part that is wrong and the expected form
   */
  public static ImageReference parse(String text) {
    return parse(text, "latest");
  }

  /**
   * Like {@link #parse(String)}, with {@code defaultTag} for a reference written with neither tag
   * nor digest (e.g. {@code rig push --to REPO} pushes under the image's own tag).
   */
  public static ImageReference parse(String text, String defaultTag) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "it is empty");
    }
    String rest = text.strip();
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw invalid(text, "the digest is wrong: " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      // Docker's rule: the first part is a host only when it looks like one; otherwise it is the
      // first path component of a Docker Hub repository (e.g. "library/debian").
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || first.startsWith("[")) {
        if (!HOST.matcher(first).matches()) {
          throw invalid(text, "'" + first + "' is not a valid registry host[:port]");
        }
        registry = first.toLowerCase(Locale.ROOT);
        rest = rest.substring(slash + 1);
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String t = rest.substring(colon + 1);
      if (!TAG.matcher(t).matches()) {
        throw invalid(
            text, "tag '" + t + "' is invalid (letters, digits, '_', '.', '-'; at most 128)");
      }
      tag = Optional.of(t);
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw invalid(text, "the repository path is empty");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw invalid(
            text,
            "path component '"
                + component
                + "' is invalid (lowercase letters and digits, separated by '.', '_', '__' or"
                + " '-')");
      }
    }
    if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API)) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of(defaultTag);
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "invalid image reference '"
            + text
            + "': "
            + why
            + " (expected [HOST[:PORT]/]PATH[:TAG][@sha256:HEX], e.g."
            + " registry.example.com/team/app:1.0)");
  }

  /** The host to send API requests to (Docker Hub's API lives on another name). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** What goes after {@code /manifests/}: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
  }

  /** The same repository with another tag (and no digest). */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, Optional.of(newTag), Optional.empty());
  }

  /**
   * The names credentials and flags for this registry may be keyed by: as written, and the API
   * host.
   */
  public Set<String> hostNames() {
    return registry.equals(apiHost()) ? Set.of(registry) : Set.of(registry, apiHost());
  }

  /** True for loopback hosts, where plain HTTP is allowed without asking. */
  public boolean isLoopback() {
    return isLoopbackHost(registry);
  }

  /**
   * Whether {@code registry} (host[:port]) is this machine: the name localhost, or an IP literal in
   * 127.0.0.0/8 or ::1. Names are never resolved and never matched by prefix, so a name such as
   * 127.evil.example is not loopback.
   */
  public static boolean isLoopbackHost(String registry) {
    String host = registry;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        return false;
      }
      host = host.substring(1, end);
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (IPV4.matcher(host).matches()) {
      String[] octets = host.split("\\.");
      for (String octet : octets) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return Integer.parseInt(octets[0]) == 127;
    }
    if (IPV6.matcher(host).matches()) {
      try {
        // A literal of hex digits and colons: parsed, never looked up.
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + tag.map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }
}
