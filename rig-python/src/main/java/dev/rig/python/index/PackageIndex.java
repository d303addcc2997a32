package dev.rig.python.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A PEP 503 / PEP 691 "simple" index, e.g. {@code https://pypi.org/simple/}, and the credentials
 * for it. The URL never carries credentials: {@link #fromUrl} moves them out of it, so that the URL
 * can be printed and recorded.
 *
 * @param url the index's base URL; project pages are {@code url + name + "/"}
 * @param credentials sent only to the URL's own scheme, host and port
 */
public record PackageIndex(URI url, Optional<Credentials> credentials) {
  public PackageIndex {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentials, "credentials");
    if (!url.isAbsolute() || url.getHost() == null) {
      throw new IllegalArgumentException(
          "an index URL must be absolute with a host, like https://pypi.org/simple/, got "
              + redacted(url));
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "the index URL "
              + redacted(url)
              + " carries credentials; give them separately (PackageIndex.fromUrl splits them)");
    }
    if (!url.getPath().endsWith("/")) {
      url = URI.create(url + "/");
    }
  }

  public static PackageIndex of(URI url) {
    return new PackageIndex(url, Optional.empty());
  }

  /**
   * An index from a URL as users write it, possibly {@code https://user:token@host/simple}: the
   * user information becomes {@link Credentials} and leaves the URL.
   */
  public static PackageIndex fromUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URL: " + redacted(text) + " (" + e.getReason() + ")");
    }
    String info = uri.getRawUserInfo();
    if (info == null) {
      return new PackageIndex(uri, Optional.empty());
    }
    int colon = info.indexOf(':');
    String user = decode(colon < 0 ? info : info.substring(0, colon));
    String password = colon < 0 ? "" : decode(info.substring(colon + 1));
    return new PackageIndex(withoutUserInfo(uri), Optional.of(new Credentials(user, password)));
  }

  /** The URL without any user information, for messages. */
  public static String redacted(URI uri) {
    return uri.getRawUserInfo() == null ? uri.toString() : withoutUserInfo(uri).toString();
  }

  /** A URL as text with user information removed, for messages about input that did not parse. */
  public static String redacted(String text) {
    return text.replaceAll("//[^/@]*@", "//***@");
  }

  /** Whether credentials meant for this index may go with a request to {@code target}. */
  public boolean sameOrigin(URI target) {
    return url.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
        && url.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
        && port(url) == port(target);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(),
          null,
          uri.getHost(),
          uri.getPort(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason(), e);
    }
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
