package dev.rig.registry.endpoint;

import dev.rig.oci.net.NetSettings;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryTlsException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /v2/}: finds out whether a registry speaks https or (where allowed) plain http. 200
 * and 401 both mean "a registry is here"; the 401's challenge is handled later by the caller.
 */
public record ApiPing(HttpClient client, NetSettings net, RegistryListener listener) {

  /**
   * The base URL of {@code registry}.
   *
   * <p>Where plain HTTP is preferred (loopback hosts, or when asked) http is tried first: a TLS
   * server answers a plain request at once with 400, and then https is tried. Probing https first
   * would instead hang on a plain server that waits for a request line. Otherwise https is used,
   * and with {@code mayFallBackToHttp} (--insecure) http is tried when the TLS handshake fails for
   * a reason other than an untrusted certificate, which is always reported, never bypassed.
   */
  public URI resolve(String registry, boolean preferHttp, boolean mayFallBackToHttp)
      throws IOException {
    URI https = URI.create("https://" + registry + "/");
    URI http = URI.create("http://" + registry + "/");
    if (preferHttp) {
      try {
        ping(registry, http);
        return http;
      } catch (RegistryException e) {
        if (e.status() != 400) {
          throw e;
        }
      }
      ping(registry, https);
      return https;
    }
    try {
      ping(registry, https);
      return https;
    } catch (RegistryTlsException e) {
      if (!mayFallBackToHttp || isCertificateProblem(e)) {
        throw e;
      }
    }
    ping(registry, http);
    return http;
  }

  private static boolean isCertificateProblem(RegistryTlsException e) {
    return e.getMessage().contains("certificate is not trusted");
  }

  private void ping(String registry, URI base) throws IOException {
    RegistryCaller caller =
        new RegistryCaller(
            registry, "", base, client, net, Duration.ofSeconds(30), Optional.empty(), listener);
    caller.call(Call.of("GET", "/v2/", "API check (GET /v2/)", 200, 401));
  }
}
