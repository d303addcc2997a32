package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --ssh-key and --env become the config disk's environment file; private keys, junk and names or
 * values the guest cannot take are refused, and no value is printed.
 */
class GuestConfigTest {
  @TempDir Path temp;

  @Test
  void keysAndVariablesMakeOneEnvironmentFileSortedWithTheKeysLast() throws IOException {
    Path pub = temp.resolve("id.pub");
    Files.writeString(
        pub,
        "# mine\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc a@b\necdsa-sha2-nistp256 AAAAE2Vj c@d\n");
    GuestConfig guest =
        GuestConfig.withKeyFile(pub)
            .withVariables(
                Map.of(
                    "ROOT_PASSWORD",
                    "s3cret pass",
                    "GREETING",
                    "hi 'there'",
                    "SSH_PUBLIC_KEYS",
                    "x"));
    assertEquals(2, guest.sshAuthorizedKeys().size());
    assertEquals(
        "GREETING=hi 'there'\nROOT_PASSWORD=s3cret pass\n"
            + "SSH_PUBLIC_KEYS=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc a@b\\necdsa-sha2-nistp256"
            + " AAAAE2Vj c@d\n",
        guest.envFile());
    assertFalse(guest.toString().contains("s3cret"), guest.toString());
    assertEquals("", GuestConfig.none().envFile());
  }

  @Test
  void namesAndValuesTheGuestCannotTakeAreRefused() {
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class,
            () -> GuestConfig.none().withVariables(Map.of("1BAD", "x")));
    assertTrue(name.getMessage().contains("--env 1BAD: not a variable name"), name.getMessage());
    IllegalArgumentException value =
        assertThrows(
            IllegalArgumentException.class,
            () -> GuestConfig.none().withVariables(Map.of("TWO", "a\nb")));
    assertTrue(value.getMessage().contains("--env TWO: the value holds a newline"));
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
