package dev.rig.python.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCredentialsTest {
  @TempDir Path dir;

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes());
  }

  @Test
  void variablesInTheUrlAreReadFromTheEnvironmentAndSentToThatHostOnly() throws IOException {
    IndexCredentials credentials =
        IndexCredentials.of(
            List.of("https://${U}:${P}@127.0.0.1:9/simple"),
            Map.of("U", "me", "P", "s3cret"),
            Optional.empty());
    assertEquals(
        Map.of("Authorization", basic("me:s3cret")),
        credentials.headersFor(URI.create("https://127.0.0.1:9/files/a.whl")));
    assertEquals(Map.of(), credentials.headersFor(URI.create("https://127.0.0.1:10/files/a.whl")));
    assertFalse(
        credentials.forUri(URI.create("https://127.0.0.1:9/")).toString().contains("s3cret"));
  }

  @Test
  void aMissingVariableIsNamedWithoutTheRestOfTheUrlsSecrets() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                IndexCredentials.of(
                    List.of("https://${U}:${P}@127.0.0.1:9/simple"),
                    Map.of("U", "me"),
                    Optional.empty()));
    assertTrue(e.getMessage().contains("${P}, which is not set"), e.getMessage());
    assertTrue(e.getMessage().contains("https://127.0.0.1:9/simple"), e.getMessage());
  }

  @Test
  void netrcGivesTheIndexHostsLogin() throws IOException {
    Path netrc =
        Files.writeString(
            dir.resolve("netrc"),
            "machine 127.0.0.1 login bob password pw1\ndefault login x password y\n");
    IndexCredentials credentials =
        IndexCredentials.of(List.of("http://127.0.0.1:8/simple"), Map.of(), Optional.of(netrc));
    assertEquals(
        Map.of("Authorization", basic("bob:pw1")),
        credentials.headersFor(URI.create("http://127.0.0.1:8/simple/a/")));
  }

  @Test
  void urlsLoseTheirCredentials() {
    assertEquals(
        "https://host:1/simple/a@b",
        IndexCredentials.withoutCredentials("https://u:p@host:1/simple/a@b"));
    assertEquals("https://host/simple", IndexCredentials.withoutCredentials("https://host/simple"));
  }
}
