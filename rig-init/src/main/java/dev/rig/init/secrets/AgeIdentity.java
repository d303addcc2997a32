package dev.rig.init.secrets;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * One private key that may open a secret, with where it came from for error messages: an SSH
 * ed25519/RSA private key, or an age X25519 key ("AGE-SECRET-KEY-1…", from a file or the
 * RIG_AGE_IDENTITY variable).
 */
public record AgeIdentity(String origin, String kind, RecipientStanzaReader reader) {
  private static final String AGE_PREFIX = "AGE-SECRET-KEY-1";

  /** Parses the text of an identity file; an age identity file may hold several keys. */
  public static List<AgeIdentity> parse(String origin, String text)
      throws GeneralSecurityException {
    List<AgeIdentity> out = new ArrayList<>();
    if (OpenSshPrivateKey.looksLike(text)) {
      OpenSshPrivateKey key = OpenSshPrivateKey.parse(text);
      out.add(
          new AgeIdentity(
              origin,
              key.type(),
              key.type().equals("ssh-ed25519")
                  ? new SshEd25519Identity(key)
                  : new SshRsaIdentity(key)));
      return out;
    }
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.toUpperCase(java.util.Locale.ROOT).startsWith(AGE_PREFIX)) {
        RecipientStanzaReader reader;
        try {
          reader = X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(l);
        } catch (IllegalArgumentException e) {
          // jagged's Bech32 decoder reports a damaged key this way; the key itself is not shown.
          throw new GeneralSecurityException(
              origin + ": malformed age identity (" + e.getMessage() + ")", e);
        }
        out.add(new AgeIdentity(origin, "X25519", reader));
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException(
          "neither an OpenSSH private key nor an age identity (AGE-SECRET-KEY-1…)");
    }
    return out;
  }

  /** "path (ssh-ed25519)", as error messages list it. */
  public String describe() {
    return origin + " (" + kind + ")";
  }
}
