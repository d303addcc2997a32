package dev.rig.init.secrets;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPrivateKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** Unwraps age "ssh-rsa" stanzas: RSA-OAEP with SHA-256 and age's label. */
public final class SshRsaIdentity implements RecipientStanzaReader {
  private static final byte[] LABEL =
      "age-encryption.org/v1/ssh-rsa".getBytes(StandardCharsets.US_ASCII);

  private final String tag;
  private final PrivateKey key;

  public SshRsaIdentity(OpenSshPrivateKey key) throws GeneralSecurityException {
    if (!key.type().equals("ssh-rsa")) {
      throw new IllegalArgumentException("not an RSA key: " + key.type());
    }
    this.tag = SshStanzas.tag(key.publicBlob());
    this.key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new RSAPrivateKeySpec(key.rsa()[0], key.rsa()[2]));
  }

  @Override
  public FileKey getFileKey(Iterable<RecipientStanza> stanzas) throws GeneralSecurityException {
    for (RecipientStanza s : stanzas) {
      if (!s.getType().equals("ssh-rsa")
          || s.getArguments().size() != 1
          || !s.getArguments().get(0).equals(tag)) {
        continue;
      }
      Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          key,
          new OAEPParameterSpec(
              "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(LABEL)));
      return new FileKey(c.doFinal(s.getBody()));
    }
    throw new UnsupportedRecipientStanzaException("no ssh-rsa stanza for this key");
  }
}
