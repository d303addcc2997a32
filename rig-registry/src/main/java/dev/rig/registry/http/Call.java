package dev.rig.registry.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One request to a registry endpoint, as a value: sent again as is on retry, so the body is a
 * supplier that makes a fresh publisher (re-opening the file) each time.
 *
 * @param target a path like {@code /v2/repo/blobs/uploads/}, or an absolute URL from a Location
 * @param expected statuses that mean success
 * @param what for messages, e.g. "upload blob sha256:..."
 */
public record Call(
    String method,
    String target,
    Map<String, String> headers,
    Optional<Supplier<HttpRequest.BodyPublisher>> body,
    Set<Integer> expected,
    String what) {

  public Call {
    headers = Map.copyOf(headers);
    expected = Set.copyOf(expected);
  }

  public static Call of(String method, String target, String what, Integer... expected) {
    return new Call(method, target, Map.of(), Optional.empty(), Set.of(expected), what);
  }

  public Call withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Call(method, target, copy, body, expected, what);
  }

  public Call withBody(Supplier<HttpRequest.BodyPublisher> publisher) {
    return new Call(method, target, headers, Optional.of(publisher), expected, what);
  }

  /** Resolves a relative target (registries may send relative Location headers) against base. */
  URI resolve(URI base) {
    return base.resolve(target);
  }
}
