package dev.rig.registry.http;

import dev.rig.oci.net.NetSettings;
import dev.rig.registry.auth.AuthChallenge;
import dev.rig.registry.auth.Credential;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.Scopes;
import dev.rig.registry.auth.TokenFetcher;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * Holds the Authorization header for one repository client and renews it when the registry answers
 * 401: Basic from the credential chain, or a Bearer token for the client's scopes. Shared by the
 * upload threads, so a header renewed by one is used by all.
 */
public final class Authorizer {
  private final String registry;
  private final CredentialChain credentials;
  private final Scopes scopes;
  private final TokenFetcher tokens;
  private final RegistryListener listener;
  private Optional<Credential> credential;
  private String header;

  public Authorizer(
      String registry,
      HttpClient client,
      NetSettings net,
      CredentialChain credentials,
      Scopes scopes,
      RegistryListener listener) {
    this.registry = registry;
    this.credentials = credentials;
    this.scopes = scopes;
    this.tokens = new TokenFetcher(client, registry, net.idleTimeout());
    this.listener = listener;
  }

  public synchronized Optional<String> header() {
    return Optional.ofNullable(header);
  }

  /**
   * Answers a 401: returns true when a new header was made (or another thread already made one) and
   * the request should be sent again; false when there is nothing new to try.
   */
  public synchronized boolean renew(String sentHeader, HttpHeaders responseHeaders)
      throws IOException {
    if (header != null && !header.equals(sentHeader)) {
      return true;
    }
    Optional<AuthChallenge> challenge =
        AuthChallenge.parse(responseHeaders.firstValue("WWW-Authenticate").orElse(null));
    if (challenge.isEmpty()) {
      return false;
    }
    Optional<Credential> found = credential();
    String next;
    if (challenge.get().isBasic()) {
      if (found.isEmpty()) {
        return false;
      }
      next = found.get().basicHeader();
    } else if (challenge.get().isBearer()) {
      next = "Bearer " + tokens.fetch(challenge.get(), scopes.asList(), found);
      listener.onEvent(
          new RegistryEvent.TokenObtained(registry, String.join(" ", scopes.asList())));
    } else {
      return false;
    }
    if (next.equals(sentHeader)) {
      return false;
    }
    header = next;
    return true;
  }

  /** The credential used, if any: looked up once, on the first challenge. */
  public synchronized Optional<Credential> credential() throws IOException {
    if (credential == null) {
      credential = credentials.find(registry);
      credential.ifPresent(
          c -> listener.onEvent(new RegistryEvent.CredentialsFound(registry, c.source())));
    }
    return credential;
  }

  public String searched() {
    return credentials.describe();
  }

  public Scopes scopes() {
    return scopes;
  }
}
