package dev.rig.registry.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The formats of signing, byte for byte where they are fixed: the sealed key file, the simple
 * signing payload, DSSE's pre-authentication encoding. (Interoperability with skopeo itself is
 * rig-cli's SigningEndToEndTest.)
 */
class SigningFormatsTest {
  private static final byte[] PASSPHRASE = "correct horse".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSealedKeyOpensWithItsPassphraseOnly() throws Exception {
    SecureRandom random = new SecureRandom();
    KeyPair pair = SigstoreKeys.generate(random);
    String pem = SigstoreKeys.encryptedPem(pair.getPrivate(), PASSPHRASE, random);
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), pem);
    String json =
        new String(
            Base64.getMimeDecoder()
                .decode(
                    pem.lines()
                        .skip(1)
                        .takeWhile(l -> !l.startsWith("-----"))
                        .reduce("", String::concat)),
            StandardCharsets.UTF_8);
    assertTrue(
        json.startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"),
        json);
    assertTrue(json.contains("\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":"), json);
    assertFalse(pem.contains(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));

    PrivateKey opened = SigstoreKeys.readPrivate(pem, PASSPHRASE, "k.key");
    byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
    byte[] signature = PayloadSignature.sign(opened, payload);
    assertTrue(PayloadSignature.verify(pair.getPublic(), payload, signature));
    // Deterministic: the same key and payload give the same signature.
    assertArrayEquals(signature, PayloadSignature.sign(pair.getPrivate(), payload));
    assertFalse(PayloadSignature.verify(pair.getPublic(), "other".getBytes(), signature));

    KeyFileException wrong =
        assertThrows(
            KeyFileException.class,
            () -> SigstoreKeys.readPrivate(pem, "wrong".getBytes(), "k.key"));
    assertTrue(wrong.getMessage().startsWith("k.key: wrong passphrase"), wrong.getMessage());
    // cosign's older label holds the same document.
    String older = pem.replace("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY");
    assertEquals(opened, SigstoreKeys.readPrivate(older, PASSPHRASE, "k.key"));

    String pub = SigstoreKeys.publicPem(pair.getPublic());
    assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"), pub);
    assertEquals(pair.getPublic(), SigstoreKeys.readPublic(pub, "k.pub"));
    KeyFileException swapped =
        assertThrows(KeyFileException.class, () -> SigstoreKeys.readPublic(pem, "k.key"));
    assertTrue(swapped.getMessage().contains("no PUBLIC KEY block"), swapped.getMessage());
  }

  @Test
  void onlyP256KeysAreAccepted() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = generator.generateKeyPair();
    String pem = SigstoreKeys.encryptedPem(p384.getPrivate(), PASSPHRASE, new SecureRandom());
    KeyFileException e =
        assertThrows(
            KeyFileException.class, () -> SigstoreKeys.readPrivate(pem, PASSPHRASE, "k.key"));
    assertTrue(e.getMessage().contains("only ECDSA P-256"), e.getMessage());
  }

  @Test
  void theSimpleSigningPayloadIsFixedBytes() {
    Digest digest = Digest.of("manifest".getBytes(StandardCharsets.UTF_8));
    SimpleSigning payload = new SimpleSigning("127.0.0.1:5000/team/app:1", digest);
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/team/app:1\"},"
            + "\"image\":{\"docker-manifest-digest\":\""
            + digest
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
        new String(payload.bytes(), StandardCharsets.UTF_8));
    assertEquals(payload, SimpleSigning.parse(payload.bytes()).orElseThrow());
    assertTrue(SimpleSigning.parse("{\"critical\":{}}".getBytes()).isEmpty());
  }

  @Test
  void dsseSignsThePreAuthenticationEncoding() {
    assertEquals(
        "DSSEv1 28 application/vnd.in-toto+json 2 {}",
        new String(Dsse.pae(Dsse.IN_TOTO, "{}".getBytes()), StandardCharsets.UTF_8));
    KeyPair pair = SigstoreKeys.generate(new SecureRandom());
    Dsse envelope = Dsse.sign(Dsse.IN_TOTO, "{}".getBytes(), pair.getPrivate());
    Dsse read = Dsse.parse(envelope.json()).orElseThrow();
    assertArrayEquals("{}".getBytes(), read.payload());
    assertTrue(
        PayloadSignature.verify(
            pair.getPublic(), Dsse.pae(Dsse.IN_TOTO, read.payload()), read.signatures().get(0)));
    // The same signature does not cover another payload type.
    assertFalse(
        PayloadSignature.verify(
            pair.getPublic(), Dsse.pae("text/plain", read.payload()), read.signatures().get(0)));
  }
}
