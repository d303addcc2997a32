package dev.rig.apt.repo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks OpenPGP signatures of repository metadata the way apt's gpgv step does: at least one
 * signature from a trusted key must verify, no signature from a trusted key may fail, weak hashes
 * and expired or revoked keys are refused. Every refusal names the file and the key ids involved.
 */
public final class SignatureVerifier {
  private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

  private final Keyring keyring;
  private final Clock clock;

  public SignatureVerifier(Keyring keyring) {
    this(keyring, Clock.systemUTC());
  }

  /** A verifier that judges key expiry "now" by {@code clock}. */
  public SignatureVerifier(Keyring keyring, Clock clock) {
    this.keyring = keyring;
    this.clock = clock;
  }

  /**
   * Verifies a clearsigned file (InRelease) and returns only the text that the signature covers, so
   * nothing unsigned around the message can reach the parser.
   */
  public String verifyClearsigned(String fileName, byte[] clearsigned) {
    String text = new String(clearsigned, StandardCharsets.UTF_8);
    String[] lines = text.split("\r?\n", -1);
    int i = 0;
    if (lines.length == 0 || !lines[0].equals(BEGIN_MESSAGE)) {
      throw new SignatureException(
          fileName + ": not a clearsigned file (must start with " + BEGIN_MESSAGE + ")");
    }
    i++;
    while (i < lines.length && !lines[i].isEmpty()) {
      if (!lines[i].startsWith("Hash:")) {
        throw new SignatureException(fileName + ": unexpected armor header '" + lines[i] + "'");
      }
      i++;
    }
    i++;
    List<String> body = new ArrayList<>();
    while (i < lines.length && !lines[i].equals(BEGIN_SIGNATURE)) {
      String line = lines[i];
      if (line.startsWith("-")) {
        if (!line.startsWith("- ")) {
          throw new SignatureException(fileName + ": unescaped dash line '" + line + "'");
        }
        line = line.substring(2);
      }
      body.add(line);
      i++;
    }
    if (i >= lines.length) {
      throw new SignatureException(fileName + ": no signature block");
    }
    int sigStart = i;
    while (i < lines.length && !lines[i].equals(END_SIGNATURE)) {
      i++;
    }
    if (i >= lines.length) {
      throw new SignatureException(fileName + ": unterminated signature block");
    }
    for (int j = i + 1; j < lines.length; j++) {
      if (!lines[j].isBlank()) {
        throw new SignatureException(fileName + ": data after the signature block");
      }
    }
    String armored = String.join("\n", Arrays.asList(lines).subList(sigStart, i + 1)) + "\n";
    // RFC 4880 7.1: the signed text is the lines without trailing blanks, joined with CRLF, and
    // without the line break that precedes the signature armor.
    StringBuilder canonical = new StringBuilder();
    StringBuilder plain = new StringBuilder();
    for (int k = 0; k < body.size(); k++) {
      if (k > 0) {
        canonical.append("\r\n");
      }
      canonical.append(stripTrailingBlanks(body.get(k)));
      plain.append(body.get(k)).append('\n');
    }
    verify(
        fileName,
        canonical.toString().getBytes(StandardCharsets.UTF_8),
        armored.getBytes(StandardCharsets.UTF_8),
        true);
    return plain.toString();
  }

  /** Verifies a detached signature (Release + Release.gpg). */
  public void verifyDetached(String fileName, byte[] data, byte[] signature) {
    verify(fileName, data, signature, false);
  }

  private void verify(String fileName, byte[] data, byte[] signatureBytes, boolean clearsigned) {
    List<PGPSignature> signatures = readSignatures(fileName, signatureBytes);
    List<String> untrusted = new ArrayList<>();
    int good = 0;
    for (PGPSignature sig : signatures) {
      long keyId = issuer(sig);
      Optional<PGPPublicKey> key = keyring.key(keyId);
      if (key.isEmpty()) {
        untrusted.add(Keyring.keyId(keyId));
        continue;
      }
      String id = Keyring.keyId(keyId);
      int hash = sig.getHashAlgorithm();
      if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1) {
        throw new SignatureException(fileName + ": signature by key " + id + " uses a weak hash");
      }
      PGPPublicKey primary = keyring.primary(keyId).orElse(key.get());
      SigningKeyCheck.check(
          fileName, key.get(), primary, sig.getCreationTime().toInstant(), clock.instant());
      byte[] signed = data;
      if (!clearsigned && sig.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT) {
        signed = crlf(data);
      }
      try {
        sig.init(new BcPGPContentVerifierBuilderProvider(), key.get());
        sig.update(signed);
        if (!sig.verify()) {
          throw new SignatureException(
              fileName + ": BAD signature by key " + id + " (the file was modified after signing)");
        }
      } catch (PGPException e) {
        throw new SignatureException(
            fileName + ": cannot check signature by key " + id + ": " + e.getMessage(), e);
      }
      good++;
    }
    if (good == 0) {
      throw new SignatureException(
          fileName
              + ": NO_PUBKEY: signed by key(s) "
              + untrusted
              + ", none of which is in "
              + keyring.source()
              + " (which holds "
              + keyring.keyIds()
              + ")");
    }
  }

  private static List<PGPSignature> readSignatures(String fileName, byte[] bytes) {
    List<PGPSignature> out = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      Object o;
      while ((o = factory.nextObject()) != null) {
        if (o instanceof PGPSignatureList list) {
          list.forEach(out::add);
        } else {
          throw new SignatureException(
              fileName + ": unexpected OpenPGP packet " + o.getClass().getSimpleName());
        }
      }
    } catch (IOException e) {
      throw new SignatureException(fileName + ": unreadable signature: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new SignatureException(fileName + ": holds no signature");
    }
    return out;
  }

  /** The signer's key id; newer signers may give only the issuer fingerprint. */
  private static long issuer(PGPSignature sig) {
    if (sig.getKeyID() != 0) {
      return sig.getKeyID();
    }
    IssuerFingerprint fp =
        sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
    if (fp == null) {
      return 0;
    }
    byte[] f = fp.getFingerprint();
    long id = 0;
    for (int k = f.length - 8; k < f.length; k++) {
      id = (id << 8) | (f[k] & 0xff);
    }
    return id;
  }

  private static String stripTrailingBlanks(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return line.substring(0, end);
  }

  private static byte[] crlf(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
    for (int k = 0; k < data.length; k++) {
      if (data[k] == '\n' && (k == 0 || data[k - 1] != '\r')) {
        out.write('\r');
      }
      out.write(data[k]);
    }
    return out.toByteArray();
  }
}
