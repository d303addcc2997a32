package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ssh-key becomes rig.env's SSH_PUBLIC_KEYS; private keys and junk are refused. */
class GuestConfigTest {
  @TempDir Path temp;

  @Test
  void publicKeysTravelAsOneBase64Parameter() throws IOException {
    Path pub = temp.resolve("id.pub");
    Files.writeString(
        pub,
        "# mine\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc a@b\necdsa-sha2-nistp256 AAAAE2Vj c@d\n");
    GuestConfig guest = GuestConfig.withKeyFile(pub);
    assertEquals(2, guest.sshAuthorizedKeys().size());
    String parameter = guest.kernelParameter();
    assertTrue(parameter.startsWith("rig.env="), parameter);
    assertFalse(parameter.contains(" "), parameter);
    assertEquals(
        "SSH_PUBLIC_KEYS=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc a@b\\necdsa-sha2-nistp256 AAAAE2Vj c@d\n",
        new String(
            Base64.getDecoder().decode(parameter.substring("rig.env=".length())),
            StandardCharsets.UTF_8));
  }

  @Test
  void privateKeysNeverLeaveTheHost() throws IOException {
    Path key = temp.resolve("id");
    Files.writeString(
        key, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n");
    IOException e = assertThrows(IOException.class, () -> GuestConfig.withKeyFile(key));
    assertTrue(e.getMessage().contains("is a private key; give its public half"), e.getMessage());
  }

  @Test
  void missingEmptyAndMalformedFilesAreRefused() throws IOException {
    assertTrue(
        assertThrows(IOException.class, () -> GuestConfig.withKeyFile(temp.resolve("nope.pub")))
            .getMessage()
            .contains("no such file"));
    Path empty = Files.writeString(temp.resolve("empty.pub"), "\n");
    assertTrue(
        assertThrows(IOException.class, () -> GuestConfig.withKeyFile(empty))
            .getMessage()
            .contains("holds no key"));
    Path junk = Files.writeString(temp.resolve("junk.pub"), "hello world\n");
    assertTrue(
        assertThrows(IOException.class, () -> GuestConfig.withKeyFile(junk))
            .getMessage()
            .contains("is not an OpenSSH public key line"));
    assertEquals(List.of(), GuestConfig.none().sshAuthorizedKeys());
  }
}
