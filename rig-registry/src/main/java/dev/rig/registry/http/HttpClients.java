package dev.rig.registry.http;

import dev.rig.registry.model.RegistryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Builds the HTTP client for a registry: verified TLS (plus an optional CA file) or none. */
public final class HttpClients {
  private HttpClients() {}

  /**
   * @param skipVerification trust any certificate: only for the registries --tls-verify=false names
   */
  public static HttpClient create(RegistryOptions options, boolean skipVerification)
      throws IOException {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // HTTP/1.1: one connection per parallel upload, and what every registry speaks.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            // Redirects are followed by hand: blob GETs go to storage with other auth rules.
            .followRedirects(HttpClient.Redirect.NEVER);
    try {
      if (skipVerification) {
        builder.sslContext(trustAll());
      } else if (options.caFile().isPresent()) {
        builder.sslContext(withCaFile(options.caFile().get()));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    return builder.build();
  }

  /** Trusts the JDK's CAs and the certificates in {@code caFile}. */
  private static SSLContext withCaFile(Path caFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("CA file " + caFile + " does not exist");
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("CA file " + caFile + " holds no valid PEM certificate", e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("CA file " + caFile + " holds no certificate");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (Certificate c : certificates) {
      store.setCertificateEntry("ca-file-" + n++, c);
    }
    for (X509Certificate c : defaultTrustManager().getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + n++, c);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK has no X509 trust manager");
  }

  /**
   * Accepts any certificate and any host name. An extended trust manager is used because the JDK
   * leaves host name checks to it, so this really skips them (only for --insecure).
   */
  private static SSLContext trustAll() throws GeneralSecurityException {
    X509ExtendedTrustManager all =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {all}, null);
    return context;
  }
}
