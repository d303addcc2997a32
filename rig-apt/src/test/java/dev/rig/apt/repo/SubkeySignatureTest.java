package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives sign with subkeys; a subkey's signature proves nothing once its primary key is revoked
 * or expired, or once the subkey itself has expired, as gpgv judges it. The keys are made by gpg.
 */
class SubkeySignatureTest {
  private static final String RELEASE = "Suite: rigtest\nCodename: rigtest\nComponents: main\n";

  @BeforeAll
  static void tools() {
    Tools.require("gpg", "gnupg");
  }

  @Test
  void acceptsASigningSubkeyButNotOnceItsPrimaryKeyIsRevoked(@TempDir Path dir) throws IOException {
    Gpg gpg = Gpg.home(dir.resolve("gnupg"), Optional.empty());
    try {
      String primary = gpg.newPrimaryKey("never");
      String subkey = gpg.addSigningSubkey(primary, "1y");
      byte[] signed = gpg.clearsign(subkey, Optional.empty());
      Keyring valid = gpg.export();
      assertEquals(RELEASE, verifier(valid, Instant.now()).verifyClearsigned("InRelease", signed));

      // gpg wrote a revocation certificate when it made the key; importing it revokes the key.
      gpg.importRevocation(primary);
      Keyring revoked = gpg.export();
      SignatureException e =
          assertThrows(
              SignatureException.class,
              () -> verifier(revoked, Instant.now()).verifyClearsigned("InRelease", signed));
      assertTrue(e.getMessage().contains("InRelease"), e.getMessage());
      assertTrue(e.getMessage().contains("primary key"), e.getMessage());
      assertTrue(e.getMessage().contains(primary.substring(24)), e.getMessage());
      assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    } finally {
      gpg.stopAgent();
    }
  }

  @Test
  void refusesAnExpiredSigningSubkey(@TempDir Path dir) throws IOException {
    // Made and used on 1 January 2020, the subkey signed while valid and expired the next day.
    Gpg gpg = Gpg.home(dir.resolve("gnupg"), Optional.of("20200101T000000"));
    try {
      String primary = gpg.newPrimaryKey("never");
      String subkey = gpg.addSigningSubkey(primary, "1d");
      byte[] signed = gpg.clearsign(subkey, Optional.of("20200101T120000"));
      Keyring keyring = gpg.export();
      Instant thatAfternoon = Instant.parse("2020-01-01T13:00:00Z");
      assertEquals(
          RELEASE, verifier(keyring, thatAfternoon).verifyClearsigned("InRelease", signed));
      SignatureException e =
          assertThrows(
              SignatureException.class,
              () -> verifier(keyring, Instant.now()).verifyClearsigned("InRelease", signed));
      assertTrue(e.getMessage().contains("subkey " + subkey.substring(24)), e.getMessage());
      assertTrue(e.getMessage().contains("expired on 2020-01-02"), e.getMessage());
    } finally {
      gpg.stopAgent();
    }
  }

  @Test
  void refusesASubkeyWhosePrimaryKeyHasExpired(@TempDir Path dir) throws IOException {
    Gpg gpg = Gpg.home(dir.resolve("gnupg"), Optional.of("20200101T000000"));
    try {
      String primary = gpg.newPrimaryKey("1d");
      String subkey = gpg.addSigningSubkey(primary, "never");
      byte[] signed = gpg.clearsign(subkey, Optional.of("20200101T120000"));
      Keyring keyring = gpg.export();
      SignatureException e =
          assertThrows(
              SignatureException.class,
              () ->
                  verifier(keyring, Instant.now().plus(Duration.ofDays(1)))
                      .verifyClearsigned("InRelease", signed));
      assertTrue(e.getMessage().contains("primary key " + primary.substring(24)), e.getMessage());
      assertTrue(e.getMessage().contains("expired"), e.getMessage());
    } finally {
      gpg.stopAgent();
    }
  }

  private static SignatureVerifier verifier(Keyring keyring, Instant now) {
    return new SignatureVerifier(keyring, Clock.fixed(now, ZoneOffset.UTC));
  }

  /** One throwaway GNUPGHOME, optionally at a faked (frozen) time when keys are made. */
  private record Gpg(Path home, Optional<String> fakedTime) {
    static Gpg home(Path home, Optional<String> fakedTime) throws IOException {
      Files.createDirectories(home);
      home.toFile().setReadable(false, false);
      home.toFile().setReadable(true, true);
      home.toFile().setExecutable(false, false);
      home.toFile().setExecutable(true, true);
      return new Gpg(home, fakedTime);
    }

    /** A certify-only primary key; returns its fingerprint. */
    String newPrimaryKey(String expiry) {
      run(
          fakedTime,
          "--quick-gen-key",
          "subkey test <test@rig.invalid>",
          "ed25519",
          "cert",
          expiry);
      return fingerprints().get(0);
    }

    /** A signing subkey of {@code primary}; returns its fingerprint. */
    String addSigningSubkey(String primary, String expiry) {
      run(fakedTime, "--quick-add-key", primary, "ed25519", "sign", expiry);
      List<String> all = fingerprints();
      return all.get(all.size() - 1);
    }

    /** The Release text clearsigned by exactly this subkey ('!' stops gpg choosing another). */
    byte[] clearsign(String subkey, Optional<String> at) throws IOException {
      Path release = home.resolveSibling("Release");
      Files.writeString(release, RELEASE);
      Path out = home.resolveSibling("InRelease");
      run(
          at,
          "--local-user",
          subkey + "!",
          "--clearsign",
          "-o",
          out.toString(),
          release.toString());
      return Files.readAllBytes(out);
    }

    void importRevocation(String primary) throws IOException {
      Path stored = home.resolve("openpgp-revocs.d/" + primary + ".rev");
      // gpg guards the stored certificate with a leading ':' so it is not imported by accident.
      String text = Files.readString(stored).replace(":-----BEGIN", "-----BEGIN");
      Path cert = home.resolveSibling("revocation.asc");
      Files.writeString(cert, text);
      run(Optional.empty(), "--import", cert.toString());
    }

    Keyring export() throws IOException {
      Path out = home.resolveSibling("key.gpg");
      run(Optional.empty(), "--output", out.toString(), "--export");
      return Keyring.parse(out.toString(), Files.readAllBytes(out));
    }

    private List<String> fingerprints() {
      String colons = run(Optional.empty(), "--with-colons", "--list-keys").stdout();
      return colons.lines().filter(l -> l.startsWith("fpr:")).map(l -> l.split(":")[9]).toList();
    }

    private Exec.Result run(Optional<String> at, String... args) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", ""));
      at.ifPresent(t -> cmd.addAll(List.of("--faked-system-time", t + "!")));
      cmd.addAll(List.of(args));
      return Exec.run(
              cmd, Map.of("GNUPGHOME", home.toString(), "LC_ALL", "C"), null, Duration.ofMinutes(1))
          .ok();
    }

    /** gpg starts an agent per GNUPGHOME; stop ours so no process outlives the test. */
    void stopAgent() {
      Exec.run(
          List.of("gpgconf", "--kill", "gpg-agent"),
          Map.of("GNUPGHOME", home.toString()),
          null,
          Duration.ofSeconds(30));
    }
  }
}
