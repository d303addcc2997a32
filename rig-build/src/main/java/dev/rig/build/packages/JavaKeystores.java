package dev.rig.build.packages;

import dev.rig.build.rootfs.ImageRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rewrites the Java CA keystore that ca-certificates-java generates while packages are configured.
 * Its PKCS#12 file carries a random MAC salt (and a JKS one carries creation times), so two builds
 * would never agree. The rewrite holds the same certificates under the same aliases, in alias
 * order, as an unprotected PKCS#12 (no MAC, no encryption: the certificates are public), which
 * every Java since 12 reads with any password.
 */
final class JavaKeystores {
  static final String CACERTS = "etc/ssl/certs/java/cacerts";

  private JavaKeystores() {}

  static void makeDeterministic(ImageRoot image) throws IOException {
    if (!image.isRegularFile(CACERTS)) {
      return;
    }
    Path file = image.resolve(CACERTS);
    KeyStore source = load(image.readAllBytes(CACERTS), file);
    try {
      List<String> aliases = new ArrayList<>(Collections.list(source.aliases()));
      Collections.sort(aliases);
      image.replace(CACERTS, unprotectedPkcs12(source, aliases));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot rewrite " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(byte[] content, Path file) throws IOException {
    IOException last = null;
    for (String type : List.of("PKCS12", "JKS")) {
      try (InputStream in = new ByteArrayInputStream(content)) {
        KeyStore store = KeyStore.getInstance(type);
        store.load(in, "changeit".toCharArray());
        return store;
      } catch (GeneralSecurityException | IOException e) {
        last = new IOException("cannot read " + file + " as " + type + ": " + e.getMessage(), e);
      }
    }
    throw last;
  }

  /**
   * The certificates as a PKCS#12 store written without MAC and certificate encryption, so without
   * random salts. The JDK reads both settings when the store is written.
   */
  private static synchronized byte[] unprotectedPkcs12(KeyStore source, List<String> aliases)
      throws GeneralSecurityException, IOException {
    String mac = Security.getProperty("keystore.pkcs12.macAlgorithm");
    String certs = Security.getProperty("keystore.pkcs12.certProtectionAlgorithm");
    Security.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
    Security.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
    try {
      KeyStore out = KeyStore.getInstance("PKCS12");
      out.load(null, null);
      for (String alias : aliases) {
        Certificate cert = source.getCertificate(alias);
        if (source.isCertificateEntry(alias) && cert != null) {
          out.setCertificateEntry(alias, cert);
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      out.store(bytes, "changeit".toCharArray());
      return bytes.toByteArray();
    } finally {
      if (mac != null) {
        Security.setProperty("keystore.pkcs12.macAlgorithm", mac);
      }
      if (certs != null) {
        Security.setProperty("keystore.pkcs12.certProtectionAlgorithm", certs);
      }
    }
  }
}
