package dev.rig.spec;

import static dev.rig.spec.SpecFiles.AMENDS;
import static dev.rig.spec.SpecFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pkl.core.PklException;

/** Each mistake gives one line naming file, line and option, in every spec language. */
class SpecErrorsTest {
  @TempDir Path dir;

  private SpecException load(String name, String text) {
    Path file = write(dir, name, text);
    return assertThrows(SpecException.class, () -> SpecLoader.load(file));
  }

  private static void assertError(
      SpecException e, String file, int line, String option, String problem, String hint) {
    String expected =
        file
            + ":"
            + line
            + ": "
            + (option.isEmpty() ? "" : option + ": ")
            + problem
            + (hint.isEmpty() ? "" : " (" + hint + ")");
    assertTrue(
        e.getMessage().endsWith(expected),
        () -> "expected\n" + expected + "\nbut got\n" + e.getMessage());
    assertEquals(file, e.file().getFileName().toString());
    assertEquals(line, e.line());
    assertEquals(option, e.option());
    assertEquals(problem, e.problem());
    assertEquals(hint, e.hint());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void homeAndHomeGitTogether() {
    write(dir, "dotfiles/.bashrc", "");
    assertError(
        load(
            "rig.yaml",
            "images:\n  foo:\n    home: dotfiles\n    homeGit: {url: https://example.invalid/d}\n"),
        "rig.yaml",
        3,
        "images.foo.home",
        "both home and homeGit are set",
        "keep one: home copies a directory of the build host, homeGit checks out a git repository");
  }

  @Test
  void aSigningKeyIsNamedNeverWrittenIntoTheSpec() {
    assertError(
        load(
            "rig.yaml",
            "images:\n  foo: {}\nsigning:\n  key: \"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"
                + " eyJr\"\n"),
        "rig.yaml",
        4,
        "signing.key",
        "signing.key holds a key, not a path",
        "name the key file, or put the key in an environment variable named by signing.keyEnv;"
            + " a key in the spec would be committed with it");
    write(dir, "cosign.key", "");
    assertError(
        load(
            "rig.pkl",
            "amends \"modulepath:/rig/Project.pkl\"\n"
                + "signing {\n  key = \"cosign.key\"\n  keyEnv = \"COSIGN_KEY\"\n}\n"),
        "rig.pkl",
        4,
        "signing.keyEnv",
        "both signing.key and signing.keyEnv are set",
        "keep one: key names a file, keyEnv an environment variable holding the key");
  }

  @Test
  void theSigningKeyFileIsResolvedBesideTheSpec() throws Exception {
    write(dir, "keys/cosign.key", "");
    Project project =
        SpecLoader.load(
            write(dir, "rig.yaml", "images:\n  foo: {}\nsigning: { key: keys/cosign.key }\n"));
    assertEquals(dir.resolve("keys/cosign.key"), project.signing().key().orElseThrow());
    assertEquals("RIG_SIGNING_PASSPHRASE", project.signing().passphraseEnv());
    Project unsigned = SpecLoader.load(write(dir, "rig.yaml", "images:\n  foo: {}\n"));
    assertFalse(unsigned.signing().enabled());
  }

  // --- unknown options -------------------------------------------------------------------------

  @Test
  void unknownOptionInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS
                + """
                images {
                  ["foo"] {
                    tagg = "1.0"
                  }
                }
                """);

    assertError(e, "rig.pkl", 4, "images[\"foo\"].tagg", "no such option", "did you mean tag?");
    // Pkl's own report stays available for --verbose.
    assertInstanceOf(PklException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("Cannot find property `tagg`"));
  }

  @Test
  void unknownOptionInYaml() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    tag: x\n    extraenv: {A: b}\n");

    assertError(
        e, "rig.yaml", 4, "images.foo.extraenv", "no such option", "did you mean extraEnv?");
  }

  @Test
  void unknownOptionInJson() {
    SpecException e =
        load(
            "rig.json",
            "{\n  \"images\": {\n    \"foo\": {\n      \"maxLayer\": 3\n    }\n  }\n}\n");

    assertError(
        e, "rig.json", 4, "images.foo.maxLayer", "no such option", "did you mean maxLayers?");
  }

  @Test
  void unknownTopLevelOption() {
    assertError(
        load("rig.pkl", AMENDS + "imagez {}\n"),
        "rig.pkl",
        2,
        "imagez",
        "no such option",
        "did you mean images?");
    assertError(
        load("rig.yaml", "image:\n  foo: {}\n"),
        "rig.yaml",
        1,
        "image",
        "no such option",
        "did you mean images?");
  }

  @Test
  void unknownOptionOfACopyWithoutACloseNameListsTheKnownOnes() {
    write(dir, "a", "a");
    SpecException e =
        load(
            "rig.yaml",
            """
            images:
              foo:
                copyToRoot:
                  - source: a
                    target: /a
                    permissions: "0644"
            """);

    assertError(
        e,
        "rig.yaml",
        6,
        "images.foo.copyToRoot[0].permissions",
        "no such option",
        "known options here: source, target, mode, uid, gid");
  }

  // --- wrong types -----------------------------------------------------------------------------

  @Test
  void wrongTypeInPkl() {
    SpecException e =
        load("rig.pkl", AMENDS + "images {\n  [\"foo\"] {\n    maxLayers = \"fifty\"\n  }\n}\n");

    assertError(
        e,
        "rig.pkl",
        4,
        "images[\"foo\"].maxLayers",
        "expected Int, got String \"fifty\"",
        "the type is Int(isBetween(1, 127)); the default is 50");
  }

  @Test
  void numberForAStringInPkl() {
    SpecException e = load("rig.pkl", AMENDS + "images {\n  [\"foo\"] {\n    tag = 3\n  }\n}\n");

    assertError(
        e,
        "rig.pkl",
        4,
        "images[\"foo\"].tag",
        "expected String, got Int 3",
        "the type is Tag; the default is \"latest\"");
  }

  @Test
  void wrongTypeInYaml() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    maxLayers: fifty\n");

    assertError(
        e,
        "rig.yaml",
        3,
        "images.foo.maxLayers",
        "expected Int, got String \"fifty\"",
        "the type is Int(isBetween(1, 127)); the default is 50");
  }

  @Test
  void unquotedNumberForAStringInYamlAndJson() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    tag: 1.0\n"),
        "rig.yaml",
        3,
        "images.foo.tag",
        "expected String, got Float 1.0",
        "quote the value to make it a string");
    assertError(
        load("rig.json", "{\"images\": {\"foo\": {\n\"tag\": 3}}}"),
        "rig.json",
        2,
        "images.foo.tag",
        "expected String, got Int 3",
        "quote the value to make it a string");
  }

  @Test
  void listWhereAMappingIsExpectedInYaml() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    extraEnv: [A, B]\n"),
        "rig.yaml",
        3,
        "images.foo.extraEnv",
        "expected Mapping, got Listing",
        "the type is Mapping<EnvName, String>; the default is new {}");
  }

  @Test
  void valueOutOfRange() {
    assertError(
        load("rig.pkl", AMENDS + "images {\n  [\"foo\"] {\n    maxLayers = 500\n  }\n}\n"),
        "rig.pkl",
        4,
        "images[\"foo\"].maxLayers",
        "500 is out of range 1-127",
        "use a value between 1 and 127");
    write(dir, "a", "a");
    assertError(
        load(
            "rig.yaml",
            "images:\n  foo:\n    copyToRoot:\n      - {source: a, target: /a, uid: -1}\n"),
        "rig.yaml",
        4,
        "images.foo.copyToRoot[0].uid",
        "-1 is out of range 0-65535",
        "use a value between 0 and 65535");
  }

  // --- copyToRoot --------------------------------------------------------------------------------

  @Test
  void missingCopySourceInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS
                + """
                images {
                  ["foo"] {
                    copyToRoot {
                      new { source = "files/busybox"; target = "/bin/busybox" }
                    }
                  }
                }
                """);

    assertError(
        e,
        "rig.pkl",
        5,
        "images[\"foo\"].copyToRoot[0].source",
        "files/busybox does not exist",
        "looked for "
            + dir.resolve("files/busybox")
            + "; relative paths start at the spec file's directory");
  }

  @Test
  void missingCopySourceInYaml() {
    write(dir, "files/ok", "ok");
    SpecException e =
        load(
            "rig.yaml",
            """
            images:
              foo:
                copyToRoot:
                  - { source: files/ok, target: /ok }
                  - source: files/busybox
                    target: /bin/busybox
            """);

    assertError(
        e,
        "rig.yaml",
        5,
        "images.foo.copyToRoot[1].source",
        "files/busybox does not exist",
        "looked for "
            + dir.resolve("files/busybox")
            + "; relative paths start at the spec file's directory");
  }

  @Test
  void missingCopySourceInJson() {
    SpecException e =
        load(
            "rig.json",
            """
            {
              "images": {
                "foo": {
                  "copyToRoot": [
                    {
                      "target": "/x",
                      "source": "/no/such/file"
                    }
                  ]
                }
              }
            }
            """);

    assertError(
        e,
        "rig.json",
        7,
        "images.foo.copyToRoot[0].source",
        "/no/such/file does not exist",
        "looked for /no/such/file; relative paths start at the spec file's directory");
  }

  @Test
  void missingRequiredCopyOption() {
    write(dir, "files/a", "a");
    assertError(
        load(
            "rig.pkl",
            AMENDS
                + "images {\n  [\"foo\"] {\n    copyToRoot {\n      new { source = \"files/a\" }\n    }\n  }\n}\n"),
        "rig.pkl",
        5,
        "images[\"foo\"].copyToRoot[0].target",
        "required option target is not set",
        "every CopyToRoot needs it; its type is AbsolutePath");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    copyToRoot:\n      - target: /a\n"),
        "rig.yaml",
        4,
        "images.foo.copyToRoot[0].source",
        "required option source is not set",
        "every CopyToRoot needs it; its type is HostPath");
  }

  @Test
  void badCopyTargetAndMode() {
    write(dir, "a", "a");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    copyToRoot:\n      - {source: a, target: bin/a}\n"),
        "rig.yaml",
        4,
        "images.foo.copyToRoot[0].target",
        "\"bin/a\" is not an absolute path",
        "start it with '/', e.g. \"/bin/a\"");
    assertError(
        load(
            "rig.pkl",
            AMENDS
                + "images {\n  [\"foo\"] {\n    copyToRoot {\n      new {\n        source = \"a\"\n        target = \"/a\"\n        mode = \"rwx\"\n      }\n    }\n  }\n}\n"),
        "rig.pkl",
        8,
        "images[\"foo\"].copyToRoot[0].mode",
        "file mode \"rwx\" is not octal",
        "write three or four digits 0-7, e.g. \"0755\" or \"0644\"");
  }

  // --- environment -----------------------------------------------------------------------------

  @Test
  void lowerCaseEnvNameInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS
                + """
                images {
                  ["foo"] {
                    extraEnv {
                      ["GOOD"] = "1"
                      ["foo"] = "bar"
                    }
                  }
                }
                """);

    assertError(
        e,
        "rig.pkl",
        6,
        "images[\"foo\"].extraEnv[\"foo\"]",
        "environment variable name \"foo\" is invalid",
        "use upper-case letters, digits and '_', not starting with a digit, e.g. \"FOO\"");
  }

  @Test
  void lowerCaseEnvNameInYaml() {
    SpecException e =
        load("rig.yaml", "images:\n  foo:\n    env:\n      PATH: /bin\n      my-var: x\n");

    assertError(
        e,
        "rig.yaml",
        5,
        "images.foo.env.my-var",
        "environment variable name \"my-var\" is invalid",
        "use upper-case letters, digits and '_', not starting with a digit, e.g. \"MY_VAR\"");
  }

  @Test
  void lowerCaseEnvNameInJson() {
    SpecException e =
        load(
            "rig.json",
            "{\"images\": {\"foo\": {\"extraEnv\": {\n  \"OK\": \"1\",\n  \"2fa\": \"x\"\n}}}}");

    assertError(
        e,
        "rig.json",
        3,
        "images.foo.extraEnv.2fa",
        "environment variable name \"2fa\" is invalid",
        "use upper-case letters, digits and '_', not starting with a digit, e.g. \"_2FA\"");
  }

  // --- ports -----------------------------------------------------------------------------------

  @Test
  void portOutOfRangeInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS
                + "images {\n  [\"foo\"] {\n    exposedPorts {\n      \"8080/tcp\"\n      \"70000/tcp\"\n    }\n  }\n}\n");

    assertError(
        e,
        "rig.pkl",
        6,
        "images[\"foo\"].exposedPorts[1]",
        "port 70000 is out of range 1-65535",
        "use a port between 1 and 65535, e.g. \"8080/tcp\"");
  }

  @Test
  void portOutOfRangeInYaml() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    exposedPorts:\n      - 70000/tcp\n");

    assertError(
        e,
        "rig.yaml",
        4,
        "images.foo.exposedPorts[0]",
        "port 70000 is out of range 1-65535",
        "use a port between 1 and 65535, e.g. \"8080/tcp\"");
  }

  @Test
  void portOutOfRangeInJson() {
    SpecException e =
        load("rig.json", "{\n\"images\": {\"foo\": {\"exposedPorts\": [\"22\",\n \"0/udp\"]}}}");

    assertError(
        e,
        "rig.json",
        3,
        "images.foo.exposedPorts[1]",
        "port 0 is out of range 1-65535",
        "use a port between 1 and 65535, e.g. \"8080/tcp\"");
  }

  @Test
  void portThatIsNoPort() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    exposedPorts: [http]\n"),
        "rig.yaml",
        3,
        "images.foo.exposedPorts[0]",
        "\"http\" is not a port",
        "write N/tcp, N/udp or N, e.g. \"8080/tcp\"");
  }

  // --- base image ------------------------------------------------------------------------------

  @Test
  void missingBaseLayoutInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS + "images {\n  [\"foo\"] {\n    from = \"oci:./nope:latest\"\n  }\n}\n");

    assertError(
        e,
        "rig.pkl",
        4,
        "images[\"foo\"].from",
        "no OCI image layout at ./nope: " + dir.resolve("nope") + " does not exist",
        "point from at an OCI image layout directory, e.g. one written by `rig build --out oci:DIR`");
  }

  @Test
  void missingBaseLayoutInYaml() {
    SpecException e =
        load("rig.yaml", "images:\n  foo:\n    tag: x\n    from: oci:./nope:latest\n");

    assertError(
        e,
        "rig.yaml",
        4,
        "images.foo.from",
        "no OCI image layout at ./nope: " + dir.resolve("nope") + " does not exist",
        "point from at an OCI image layout directory, e.g. one written by `rig build --out oci:DIR`");
  }

  @Test
  void baseLayoutWithoutIndex() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    write(dir, "file", "x");
    String hint =
        "point from at an OCI image layout directory, e.g. one written by `rig build --out oci:DIR`";

    assertError(
        load("rig.pkl", AMENDS + "images { [\"foo\"] { from = \"oci:empty:latest\" } }\n"),
        "rig.pkl",
        2,
        "images[\"foo\"].from",
        "no OCI image layout at empty: " + dir.resolve("empty") + " has no index.json",
        hint);
    assertError(
        load("rig.yaml", "images:\n  foo:\n    from: oci:file\n"),
        "rig.yaml",
        3,
        "images.foo.from",
        "no OCI image layout at file: " + dir.resolve("file") + " is not a directory",
        hint);
  }

  @Test
  void aRegistryBaseImageNeedsATagOrADigest() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    from: docker.io/library/ubuntu\n"),
        "rig.yaml",
        3,
        "images.foo.from",
        "base image \"docker.io/library/ubuntu\" has neither a tag nor a digest",
        "add one, e.g. \"docker.io/library/ubuntu:latest\" or \"docker.io/library/ubuntu@sha256:...\","
            + " so the build does not depend on what a registry calls latest by accident");
  }

  @Test
  void aMalformedRegistryBaseImageIsRejected() {
    SpecException e =
        load("rig.pkl", AMENDS + "images { [\"foo\"] { from = \"Docker.io/Ubuntu:24.04\" } }\n");
    assertTrue(e.getMessage().contains("is not an image reference"), e.getMessage());
  }

  @Test
  void anUnknownPlatformIsRejected() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    platform: windows/amd64\n");
    assertTrue(
        e.getMessage()
            .contains("rig.yaml:3: images.foo.platform: expected \"linux/amd64\"|\"linux/arm64\""),
        e.getMessage());
  }

  @Test
  void aBadPackageRequestSaysHowToWriteOne() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    packages: [python3, \"Py Thon\"]\n");
    assertTrue(
        e.getMessage().contains("rig.yaml:3: images.foo.packages[1]: \"Py Thon\" is not a package"),
        e.getMessage());
  }

  @Test
  void anUnknownDistributionPointsAtRepositories() {
    SpecException e =
        load("rig.pkl", AMENDS + "images { [\"foo\"] { distributions { \"fedora:40\" } } }\n");
    assertTrue(e.getMessage().contains("\"fedora:40\" is not a distribution"), e.getMessage());
    assertTrue(e.getMessage().contains("`repositories`"), e.getMessage());
  }

  @Test
  void aMissingKeyringIsReported() {
    SpecException e =
        load(
            "rig.yaml",
            "images:\n  foo:\n    repositories:\n      - uri: https://example.invalid/r\n"
                + "        suites: [stable]\n        signedBy: nokey.gpg\n");
    assertTrue(e.getMessage().contains("nokey.gpg does not exist"), e.getMessage());
  }

  // --- names and references --------------------------------------------------------------------

  @Test
  void invalidImageNameInPkl() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS + "images {\n  [\"ok\"] {}\n  [\"My_Image\"] {\n    tag = \"1\"\n  }\n}\n");

    assertError(
        e,
        "rig.pkl",
        4,
        "images[\"My_Image\"]",
        "image name \"My_Image\" is invalid",
        "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit,"
            + " e.g. \"my-image\"");
  }

  @Test
  void invalidImageNameInYamlAndJson() {
    String hint =
        "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit,"
            + " e.g. \"my-image\"";
    assertError(
        load("rig.yaml", "images:\n  ok: {}\n  -bad:\n    tag: x\n"),
        "rig.yaml",
        3,
        "images.-bad",
        "image name \"-bad\" is invalid",
        hint);
    assertError(
        load("rig.json", "{\"images\": {\n\"a b\": {}}}"),
        "rig.json",
        2,
        "images[\"a b\"]",
        "image name \"a b\" is invalid",
        hint);
  }

  @Test
  void invalidTagUserWorkingDirAndRegistry() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    tag: -x\n"),
        "rig.yaml",
        3,
        "images.foo.tag",
        "tag \"-x\" is invalid",
        "use letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-',"
            + " e.g. \"1.0\"");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    user: \"a b\"\n"),
        "rig.yaml",
        3,
        "images.foo.user",
        "user \"a b\" is invalid",
        "write NAME, UID, NAME:GROUP or UID:GID, e.g. \"root\" or \"1000:1000\"");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    workingDir: work\n"),
        "rig.yaml",
        3,
        "images.foo.workingDir",
        "\"work\" is not an absolute path",
        "start it with '/', e.g. \"/work\"");
    assertError(
        load("rig.pkl", AMENDS + "images { [\"foo\"] { registries { \"ghcr.io/org/x:1.0\" } } }"),
        "rig.pkl",
        2,
        "images[\"foo\"].registries[0]",
        "\"ghcr.io/org/x:1.0\" names a tag or digest",
        "give only the repository, e.g. \"ghcr.io/org/name\"; the tag comes from the tag option");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    registries:\n      - ghcr.io/Org/X\n"),
        "rig.yaml",
        4,
        "images.foo.registries[0]",
        "\"ghcr.io/Org/X\" is not a repository reference",
        "write [HOST[:PORT]/]PATH in lower case, e.g. \"ghcr.io/org/name\"");
  }

  // --- files and syntax ------------------------------------------------------------------------

  @Test
  void errorsInAnImportedModuleNameThatModule() {
    write(
        dir,
        "common.pkl",
        """
        import "modulepath:/rig/Project.pkl"

        base: Project.Image = new {
          exposedPorts { "99999" }
        }
        """);
    SpecException e =
        load(
            "rig.pkl",
            AMENDS
                + "import \"common.pkl\"\n\nimages {\n  [\"a\"] = (common.base) { tag = \"a\" }\n}\n");

    assertError(
        e,
        "common.pkl",
        4,
        "base.exposedPorts[0]",
        "port 99999 is out of range 1-65535",
        "use a port between 1 and 65535, e.g. \"8080/tcp\"");
  }

  @Test
  void aPklSpecMustAmendTheSchema() {
    assertError(
        load("rig.pkl", "images { [\"foo\"] { tag = \"x\" } }\n"),
        "rig.pkl",
        1,
        "",
        "the spec does not amend rig's schema",
        "make its first line: amends \"modulepath:/rig/Project.pkl\"");
  }

  @Test
  void pklSyntaxError() {
    SpecException e = load("rig.pkl", AMENDS + "images {\n  [\"foo\"] {\n    tag = \"x\n  }\n}\n");

    assertEquals(4, e.line());
    assertEquals("Missing `\"` delimiter.", e.problem());
  }

  @Test
  void yamlAndJsonSyntaxErrors() {
    assertError(
        load("rig.yaml", "images:\n  foo:\n    tag: [a\n"),
        "rig.yaml",
        3,
        "",
        "invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>",
        "");
    assertError(
        load("rig.yaml", "images:\n  foo:\n    tag: a\n    tag: b\n"),
        "rig.yaml",
        4,
        "",
        "invalid YAML: Duplicate field 'tag'",
        "");
    SpecException json = load("rig.json", "{\n  \"images\": {\n    \"foo\": {,}\n  }\n}\n");
    assertEquals(3, json.line());
    assertTrue(
        json.problem().startsWith("invalid JSON: Unexpected character (','"), json.problem());
  }

  @Test
  void yamlThatIsNotAMapping() {
    assertError(
        load("rig.yaml", "- images\n"),
        "rig.yaml",
        1,
        "",
        "the spec is not a mapping of options",
        "start with the images key, e.g. \"images:\" followed by one entry per image");
  }

  @Test
  void unknownFileKindAndMissingFile() {
    Path toml = write(dir, "rig.toml", "");
    SpecException kind = assertThrows(SpecException.class, () -> SpecLoader.load(toml));
    assertEquals("unknown kind of spec file", kind.problem());
    assertEquals("use a .pkl, .yaml, .yml or .json file", kind.hint());

    SpecException missing =
        assertThrows(SpecException.class, () -> SpecLoader.load(dir.resolve("rig.pkl")));
    assertEquals("the spec file does not exist", missing.problem());
  }

  // --- cuda
  // ---------------------------------------------------------------------------------------

  @Test
  void unknownDriverCapability() {
    SpecException e =
        load(
            "rig.yaml",
            "images:\n  foo:\n    packages: [python3]\n    cuda:\n"
                + "      driverCapabilities: [compute, computer]\n");
    assertEquals("images.foo.cuda.driverCapabilities[1]", e.option());
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("computer"), e.getMessage());
    assertTrue(e.getMessage().contains("\"compat32\""), e.getMessage());
  }

  @Test
  void cudaOtherThanDebiansNeedsARepository() {
    SpecException e =
        load(
            "rig.pkl",
            AMENDS + "images {\n  [\"foo\"] {\n    cuda { version = \"12.8\" }\n  }\n}\n");
    System.out.println("VER: " + e.getMessage());
    assertTrue(
        e.getMessage().contains("Debian trixie packages CUDA 12.4, not 12.8"), e.getMessage());
    assertTrue(e.getMessage().contains("cuda.repository"), e.getMessage());
  }

  @Test
  void unknownCudaVersion() {
    SpecException e = load("rig.yaml", "images:\n  foo:\n    cuda: { version: \"12.7\" }\n");
    assertEquals("images.foo.cuda.version", e.option());
    assertTrue(e.getMessage().contains("12.7"), e.getMessage());
  }
}
