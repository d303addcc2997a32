package dev.rig.registry.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * ECDSA P-256 with SHA-256 over a payload, the signature DER-encoded as cosign stores it. Signing
 * is deterministic (RFC 6979): the same key and payload give the same bytes, so signing an
 * unchanged image again adds nothing new to the registry.
 */
public final class PayloadSignature {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private PayloadSignature() {}

  public static byte[] sign(PrivateKey key, byte[] payload) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new IllegalArgumentException("signing needs an ECDSA P-256 private key");
    }
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(ec.getS(), DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(payload));
    BigInteger s = rs[1];
    // The low form of s, as Go's ecdsa and most verifiers prefer; both forms verify.
    if (s.compareTo(DOMAIN.getN().shiftRight(1)) > 0) {
      s = DOMAIN.getN().subtract(s);
    }
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  /** True when {@code signature} (DER) is {@code key}'s signature of {@code payload}. */
  public static boolean verify(PublicKey key, byte[] payload, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(payload);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A malformed signature is a failed check, not an error of rig.
      return false;
    }
  }

  private static byte[] sha256(byte[] payload) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
