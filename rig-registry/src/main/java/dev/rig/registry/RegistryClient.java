package dev.rig.registry;

import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.Scopes;
import dev.rig.registry.endpoint.ApiPing;
import dev.rig.registry.http.Authorizer;
import dev.rig.registry.http.ClientStopper;
import dev.rig.registry.http.HttpClients;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point for talking to registries: holds the options, credentials and listener, finds each
 * registry's base URL once (https, or http where allowed) and makes {@link RegistryCaller}s for
 * repositories.
 */
public final class RegistryClient {
  private final RegistryOptions options;
  private final CredentialChain credentials;
  private final RegistryListener listener;

  /**
   * Made on first use: building the TLS context costs about 0.3 s, and most builds never ask. The
   * unverified one serves only the registries --tls-verify=false applies to.
   */
  private ClientStopper verified;

  private ClientStopper unverified;

  private final Map<String, URI> bases = new ConcurrentHashMap<>();

  public RegistryClient(
      RegistryOptions options, CredentialChain credentials, RegistryListener listener)
      throws IOException {
    this.options = options;
    this.credentials = credentials;
    this.listener = listener;
  }

  private synchronized HttpClient http(String registry) throws IOException {
    if (options.insecureFor(registry)) {
      if (unverified == null) {
        unverified = ClientStopper.create(() -> HttpClients.create(options, true));
      }
      return unverified.client();
    }
    if (verified == null) {
      verified = ClientStopper.create(() -> HttpClients.create(options, false));
    }
    return verified.client();
  }

  /**
   * Stops the HTTP client once the command is done with registries, so the JVM exits without
   * waiting (see {@link ClientStopper}); calls still in flight fail. A later call makes a new one.
   */
  public synchronized void close() {
    if (verified != null) {
      verified.stop();
      verified = null;
    }
    if (unverified != null) {
      unverified.stop();
      unverified = null;
    }
  }

  public RegistryOptions options() {
    return options;
  }

  public RegistryListener listener() {
    return listener;
  }

  /** A caller for {@code repository} on {@code registry} with the access {@code scopes} need. */
  public RegistryCaller caller(String registry, Scopes scopes) throws IOException {
    URI base = base(registry);
    return new RegistryCaller(
        registry,
        scopes.repository(),
        base,
        http(registry),
        options.net(),
        options.requestTimeout(),
        Optional.of(
            new Authorizer(registry, http(registry), options.net(), credentials, scopes, listener)),
        listener);
  }

  /** A caller for pushing to {@code target}, able to mount from {@code mountFrom}. */
  public RegistryCaller pushCaller(ImageReference target, List<String> mountFrom)
      throws IOException {
    return caller(target.apiHost(), Scopes.push(target.repository(), mountFrom));
  }

  public RegistryCaller pullCaller(ImageReference source) throws IOException {
    return caller(source.apiHost(), Scopes.pull(source.repository()));
  }

  private URI base(String registry) throws IOException {
    URI known = bases.get(registry);
    if (known != null) {
      return known;
    }
    boolean preferHttp = options.plainHttpFor(registry) || ImageReference.isLoopbackHost(registry);
    URI base =
        new ApiPing(http(registry), options.net(), listener)
            .resolve(registry, preferHttp, options.insecureFor(registry));
    bases.put(registry, base);
    listener.onEvent(new RegistryEvent.Connected(registry, base.toString()));
    return base;
  }
}
