package dev.rig.init.fuzz;

import dev.rig.init.config.ConfigException;
import dev.rig.init.config.ConfigLoader;
import dev.rig.init.secrets.AgeDecryptor;
import dev.rig.init.secrets.AgeIdentity;
import dev.rig.testkit.BadInput;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Mutations;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What rig-init reads from the container's outside: runtime.json, identity files (OpenSSH private
 * keys, age keys) and age-encrypted secrets. Each is parsed or refused with rig-init's own error,
 * never with a stray exception that would stop the container's startup.
 */
class InitInputFuzzTest {
  private static final String SOURCE = "/etc/rig/runtime.json";
  private static final String RUNTIME_JSON =
      """
      {"services": {
        "db": {"argv": ["sh","-c","sleep 100"], "readiness": {"file": "/tmp/db.ready", "interval": "100ms"},
               "restart": {"policy": "always", "initialDelay": "500ms", "maxDelay": "4s"}},
        "web": {"argv": ["sh","-c","sleep 100"], "dependsOn": ["db"], "stopSignal": "SIGINT",
                "stopTimeout": 3000, "configData": {"app/conf.toml": "x=1"},
                "readiness": {"tcp": {"port": 8080}}, "log": {"file": true, "maxBytes": 4096}}
      },
      "secrets": [{"name": "tskey", "source": "/etc/rig/secrets/tskey.age", "mode": "0400"}],
      "tailscale": {"enable": true, "authKeySecret": "tskey", "hostname": "box"},
      "startup": {"sshd": true}}
      """;
  private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
  private static final String END = "-----END OPENSSH PRIVATE KEY-----";

  private static Path dir;
  private static String edKey;
  private static String rsaKey;
  private static String ageKey;
  private static byte[] sshCipher;
  private static byte[] armoredCipher;
  private static List<AgeIdentity> identities;

  @BeforeContainer
  static void makeKeysAndSecrets() throws Exception {
    Tools.require("ssh-keygen", "openssh-client");
    Tools.require("age", "age");
    dir = Files.createTempDirectory("rig-init-fuzz");
    Path ed = dir.resolve("ed");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ed.toString())).ok();
    Path rsa = dir.resolve("rsa");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", rsa.toString()))
        .ok();
    Path age = dir.resolve("age.key");
    Exec.run(List.of("age-keygen", "-o", age.toString())).ok();
    String agePublic = Exec.run(List.of("age-keygen", "-y", age.toString())).ok().stdout().strip();
    Path plain = Files.writeString(dir.resolve("plain"), "secret\n");
    Path ssh = dir.resolve("ssh.age");
    Exec.run(List.of("age", "-R", ed + ".pub", "-o", ssh.toString(), plain.toString())).ok();
    Path armored = dir.resolve("armored.age");
    Exec.run(List.of("age", "-a", "-r", agePublic, "-o", armored.toString(), plain.toString()))
        .ok();
    edKey = Files.readString(ed);
    rsaKey = Files.readString(rsa);
    ageKey = Files.readString(age);
    sshCipher = Files.readAllBytes(ssh);
    armoredCipher = Files.readAllBytes(armored);
    identities = new ArrayList<>(AgeIdentity.parse("ed", edKey));
    identities.addAll(AgeIdentity.parse("age.key", ageKey));
  }

  @AfterContainer
  static void removeKeys() throws IOException {
    Exec.run(List.of("rm", "-rf", dir.toString())).ok();
  }

  @Property
  void runtimeJsonFromRandomText(@ForAll("jsonText") String text) {
    checkConfig(text);
  }

  @Property
  void runtimeJsonFromDamagedSample(@ForAll Random random) {
    checkConfig(Mutations.mutate(RUNTIME_JSON, "{}[]\",:\\0123456789-.msn ", random));
  }

  @Property
  void identityFromRandomText(@ForAll("identityText") String text) {
    checkIdentity(text);
  }

  @Property
  void identityFromDamagedText(@ForAll Random random) {
    String sample = List.of(edKey, rsaKey, ageKey).get(random.nextInt(3));
    checkIdentity(Mutations.mutate(sample, "-=/+\nA0", random));
  }

  /** Damage inside the base64, where the length-prefixed key fields are. */
  @Property
  void identityFromDamagedKeyBytes(@ForAll Random random) {
    String sample = random.nextBoolean() ? edKey : rsaKey;
    String body = sample.substring(sample.indexOf(BEGIN) + BEGIN.length(), sample.indexOf(END));
    byte[] raw = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    byte[] damaged = Mutations.mutate(raw, "\u0000\u00ff\u007f", random);
    checkIdentity(BEGIN + "\n" + Base64.getMimeEncoder().encodeToString(damaged) + "\n" + END);
  }

  @Property
  void ageFileFromRandomBytes(@ForAll @Size(max = 1024) byte[] bytes) {
    checkAgeFile(bytes);
  }

  @Property
  void ageFileDamaged(@ForAll Random random) {
    byte[] sample = random.nextBoolean() ? sshCipher : armoredCipher;
    checkAgeFile(Mutations.mutate(sample, "\n -=>", random));
  }

  private static void checkConfig(String text) {
    BadInput.check(
        "runtime.json '" + text + "'",
        Optional.of(SOURCE),
        () -> ConfigLoader.parse(text, SOURCE),
        ConfigException.class);
  }

  private static void checkIdentity(String text) {
    BadInput.check(
        "identity '" + text + "'",
        Optional.empty(),
        () -> AgeIdentity.parse("key", text),
        GeneralSecurityException.class);
  }

  private static void checkAgeFile(byte[] bytes) {
    BadInput.check(
        "age file " + BadInput.describe(bytes),
        Optional.empty(),
        () -> AgeDecryptor.decrypt(bytes, identities),
        GeneralSecurityException.class,
        IOException.class);
  }

  @Provide
  Arbitrary<String> jsonText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withChars("{}[]\",:\\0123456789 servicesargv").ofMaxLength(300),
        Arbitraries.of("argv", "restart", "readiness", "stopTimeout", "secrets", "log", "startup")
            .flatMap(
                field ->
                    Arbitraries.strings()
                        .withChars("{}[]\",:0123456789-.msnul ")
                        .ofMaxLength(40)
                        .map(
                            v ->
                                "{\"services\":{\"a\":{\"argv\":[\"x\"],\""
                                    + field
                                    + "\":"
                                    + v
                                    + "}}}")));
  }

  @Provide
  Arbitrary<String> identityText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings()
            .withChars("AGE-SECRET-KEY-1qpzry9x8gf2tvdw0s3jn54khce6mua7l\n")
            .ofMaxLength(120)
            .map(s -> "AGE-SECRET-KEY-1" + s),
        Arbitraries.strings()
            .withChars("ABCDEFabcdef0123456789+/=\n ")
            .ofMaxLength(400)
            .map(s -> BEGIN + "\n" + s + "\n" + END));
  }
}
