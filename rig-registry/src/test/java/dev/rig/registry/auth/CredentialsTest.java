package dev.rig.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path temp;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void authFileMatchesHostsWithSchemeAndHubAliases() throws IOException {
    Path file = temp.resolve("config.json");
    Files.writeString(
        file,
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
            + b64("hub:pw1")
            + "\"},\"reg.example.com:5000\":{\"auth\":\""
            + b64("me:p:w")
            + "\"}}}");
    AuthFileCredentials source = new AuthFileCredentials(file, new CredentialHelper(List.of()));
    Credential hub = source.find("docker.io").orElseThrow();
    assertEquals("hub", hub.username());
    assertEquals("pw1", hub.password());
    Credential other = source.find("reg.example.com:5000").orElseThrow();
    assertEquals("p:w", other.password(), "only the first colon separates user and password");
    assertTrue(source.find("elsewhere.io").isEmpty());
    assertFalse(other.toString().contains("p:w"), "toString never shows the secret");
    assertTrue(
        new AuthFileCredentials(temp.resolve("missing.json"), new CredentialHelper(List.of()))
            .find("x")
            .isEmpty());
  }

  @Test
  void credentialHelpersAreRun() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-fake");
    Files.writeString(
        helper,
        "#!/bin/sh\nread server\n"
            + "if [ \"$server\" = \"reg.example.com\" ]; then\n"
            + "  echo '{\"ServerURL\":\"reg.example.com\",\"Username\":\"bot\",\"Secret\":\"tok\"}'\n"
            + "else echo 'credentials not found in native keychain'; exit 1; fi\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = temp.resolve("config.json");
    Files.writeString(
        file, "{\"credHelpers\":{\"reg.example.com\":\"fake\"},\"credsStore\":\"fake\"}");
    AuthFileCredentials source = new AuthFileCredentials(file, new CredentialHelper(List.of(bin)));
    Credential found = source.find("reg.example.com").orElseThrow();
    assertEquals("bot", found.username());
    assertEquals("tok", found.password());
    assertTrue(found.source().contains("docker-credential-fake"));
    assertTrue(source.find("other.example.com").isEmpty(), "credsStore answered 'not found'");

    Files.writeString(file, "{\"credsStore\":\"absent\"}");
    IOException e = assertThrows(IOException.class, () -> source.find("reg.example.com"));
    assertTrue(e.getMessage().contains("docker-credential-absent"), e.getMessage());
  }

  @Test
  void ghcrTakesGithubTokenThenTheGithubCli() throws IOException {
    GithubTokenCredentials fromEnv =
        new GithubTokenCredentials(
            Map.of("GITHUB_TOKEN", "ghs_x", "GITHUB_ACTOR", "octo"), List.of());
    Credential token = fromEnv.find("ghcr.io").orElseThrow();
    assertEquals("octo", token.username());
    assertEquals("ghs_x", token.password());
    assertFalse(token.toString().contains("ghs_x"));
    assertTrue(fromEnv.find("docker.io").isEmpty(), "a GitHub token is only for ghcr.io");

    Path bin = Files.createDirectories(temp.resolve("ghbin"));
    Path gh = bin.resolve("gh");
    Files.writeString(gh, "#!/bin/sh\n[ \"$1 $2\" = \"auth token\" ] && echo gho_cli\n");
    Files.setPosixFilePermissions(gh, PosixFilePermissions.fromString("rwxr-xr-x"));
    Credential cli =
        new GithubTokenCredentials(Map.of(), List.of(bin)).find("ghcr.io").orElseThrow();
    assertEquals("gho_cli", cli.password());
    assertEquals("gh auth token", cli.source());
    assertTrue(new GithubTokenCredentials(Map.of(), List.of()).find("ghcr.io").isEmpty());
  }

  @Test
  void chainOrderAndDescription() throws IOException {
    Path home = temp.resolve("home");
    Path podman = home.resolve(".config/containers/auth.json");
    Files.createDirectories(podman.getParent());
    Files.writeString(podman, "{\"auths\":{\"r.io\":{\"auth\":\"" + b64("pod:man") + "\"}}}");
    CredentialChain chain =
        CredentialChain.standard(
            Optional.empty(), Set.of(), Map.of("XDG_RUNTIME_DIR", "/run/user/9"), home);
    assertEquals("pod", chain.find("r.io").orElseThrow().username());
    String where = chain.describe();
    assertTrue(where.contains("RIG_REGISTRY_USER"), where);
    assertTrue(where.contains(home.resolve(".docker/config.json").toString()), where);
    assertTrue(where.contains("/run/user/9/containers/auth.json"), where);

    CredentialChain explicit =
        CredentialChain.standard(
            Optional.of(new CredentialChain.UserPassword("cli", "pw")),
            Set.of("r.io"),
            Map.of(),
            home);
    assertEquals("cli", explicit.find("r.io").orElseThrow().username());
    assertTrue(explicit.find("other.io").isEmpty(), "--creds are for the push target only");
  }

  @Test
  void parsesChallenges() {
    AuthChallenge bearer =
        AuthChallenge.parse(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                    + "scope=\"repository:a/b:pull,push\"")
            .orElseThrow();
    assertTrue(bearer.isBearer());
    assertEquals("https://auth.example.com/token", bearer.param("realm").orElseThrow());
    assertEquals("registry.example.com", bearer.param("service").orElseThrow());
    assertEquals("repository:a/b:pull,push", bearer.param("scope").orElseThrow());
    AuthChallenge basic = AuthChallenge.parse("Basic realm=test").orElseThrow();
    assertTrue(basic.isBasic());
    assertEquals("test", basic.param("realm").orElseThrow());
    assertTrue(AuthChallenge.parse(" ").isEmpty());
    assertEquals(
        List.of("repository:app:pull,push", "repository:base:pull"),
        Scopes.push("app", List.of("base")).asList());
  }
}
