package dev.rig.apt.repo;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Whether a trusted key may have made a signature, as gpgv judges it: the key must be neither
 * revoked nor expired, when it signed or now; a subkey also needs a valid binding signature from
 * its primary key that lets it sign data, and its primary key must itself be neither revoked nor
 * expired, since revoking or letting the primary key expire withdraws all of its subkeys.
 */
final class SigningKeyCheck {
  private SigningKeyCheck() {}

  /**
   * Throws a {@link SignatureException} naming the file and key when {@code signer} (a key of the
   * keyring whose primary key is {@code primary}) may not have made a signature at {@code
   * signedAt}.
   */
  static void check(
      String fileName, PGPPublicKey signer, PGPPublicKey primary, Instant signedAt, Instant now) {
    String id = Keyring.keyId(signer.getKeyID());
    if (signer.getKeyID() == primary.getKeyID()) {
      usable(fileName, "key " + id, primary, expiry(primary), signedAt, now);
      return;
    }
    String primaryId = Keyring.keyId(primary.getKeyID());
    usable(
        fileName,
        "primary key " + primaryId + " of signing subkey " + id,
        primary,
        expiry(primary),
        signedAt,
        now);
    PGPSignature binding =
        latestBinding(signer, primary)
            .orElseThrow(
                () ->
                    new SignatureException(
                        fileName
                            + ": subkey "
                            + id
                            + " has no valid binding signature from its primary key "
                            + primaryId
                            + "; the keyring is damaged: get the repository's key again"));
    PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
    if (hashed == null || (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
      throw new SignatureException(
          fileName
              + ": subkey "
              + id
              + " of key "
              + primaryId
              + " is not allowed to sign (its binding signature has no signing flag)");
    }
    long seconds = hashed.getKeyExpirationTime();
    Optional<Instant> expiry =
        seconds <= 0
            ? Optional.empty()
            : Optional.of(signer.getCreationTime().toInstant().plusSeconds(seconds));
    usable(fileName, "subkey " + id + " of key " + primaryId, signer, expiry, signedAt, now);
  }

  private static void usable(
      String fileName,
      String what,
      PGPPublicKey key,
      Optional<Instant> expiry,
      Instant signedAt,
      Instant now) {
    if (key.hasRevocation()) {
      throw new SignatureException(
          fileName + ": " + what + " is revoked; get the repository's current key");
    }
    if (expiry.isEmpty()) {
      return;
    }
    if (!signedAt.isBefore(expiry.get())) {
      throw new SignatureException(
          fileName + ": " + what + " had expired (" + expiry.get() + ") when it signed");
    }
    if (!now.isBefore(expiry.get())) {
      throw new SignatureException(
          fileName
              + ": "
              + what
              + " expired on "
              + expiry.get()
              + "; get the repository's current key (or check this machine's clock)");
    }
  }

  private static Optional<Instant> expiry(PGPPublicKey key) {
    long seconds = key.getValidSeconds();
    return seconds <= 0
        ? Optional.empty()
        : Optional.of(key.getCreationTime().toInstant().plusSeconds(seconds));
  }

  /**
   * The newest subkey binding signature that the primary key really made: a rebinding (a changed
   * expiry) supersedes the older ones, and an unverified one proves nothing.
   */
  private static Optional<PGPSignature> latestBinding(PGPPublicKey subkey, PGPPublicKey primary) {
    PGPSignature latest = null;
    for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        it.hasNext(); ) {
      PGPSignature sig = it.next();
      if (sig.getKeyID() != primary.getKeyID() && sig.getKeyID() != 0) {
        continue;
      }
      try {
        sig.init(new BcPGPContentVerifierBuilderProvider(), primary);
        if (!sig.verifyCertification(primary, subkey)) {
          continue;
        }
      } catch (PGPException e) {
        continue;
      }
      if (latest == null || sig.getCreationTime().after(latest.getCreationTime())) {
        latest = sig;
      }
    }
    return Optional.ofNullable(latest);
  }
}
