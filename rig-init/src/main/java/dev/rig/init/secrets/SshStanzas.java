package dev.rig.init.secrets;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Shared pieces of age's ssh-ed25519 and ssh-rsa recipient types (age's agessh package). */
final class SshStanzas {
  private SshStanzas() {}

  /** The stanza's first argument: unpadded base64 of the first 4 bytes of SHA-256(key blob). */
  static String tag(byte[] publicBlob) throws GeneralSecurityException {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(publicBlob);
    return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 4));
  }

  /** HKDF-SHA256 (RFC 5869) for one 32-byte output block, all age ever asks for. */
  static byte[] hkdf32(byte[] ikm, byte[] salt, byte[] info) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return mac.doFinal();
  }
}
