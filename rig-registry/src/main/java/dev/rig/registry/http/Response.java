package dev.rig.registry.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A registry response whose (small) body has been read. */
public record Response(int status, HttpHeaders headers, byte[] body, URI uri) {
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** The Location header resolved against the request URL (it may be relative). */
  public Optional<String> location() {
    return headers.firstValue("Location").map(l -> uri.resolve(l).toString());
  }
}
