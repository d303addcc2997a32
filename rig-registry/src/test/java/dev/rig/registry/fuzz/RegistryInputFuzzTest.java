package dev.rig.registry.fuzz;

import dev.rig.registry.auth.AuthChallenge;
import dev.rig.registry.auth.TokenFetcher;
import dev.rig.registry.endpoint.ManifestFetcher;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryException;
import dev.rig.testkit.BadInput;
import dev.rig.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What a registry or a user hands rig as text: image references, WWW-Authenticate challenges, token
 * responses and manifest bodies. Each is parsed or refused with rig's own error naming the input,
 * never with a stray exception.
 */
class RegistryInputFuzzTest {
  private static final String REALM = "http://127.0.0.1:1/token";
  private static final String CHALLENGE =
      "Bearer realm=\"http://127.0.0.1:1/token\",service=\"registry\","
          + "scope=\"repository:team/app:pull,push\"";
  private static final String TOKEN =
      "{\"token\":\"abc.def\",\"expires_in\":300,\"issued_at\":\"x\"}";
  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";

  @Property
  void imageReference(@ForAll("referenceText") String text) {
    BadInput.check(
        "reference '" + text + "'",
        Optional.empty(),
        () -> ImageReference.parse(text).apiHost(),
        IllegalArgumentException.class);
  }

  @Property
  void imageReferenceFromDamagedSample(@ForAll Random random) {
    String text =
        Mutations.mutate(
            "127.0.0.1:5000/team/app:1.0@sha256:" + "a".repeat(64), "/:@.[]_-", random);
    BadInput.check(
        "reference '" + text + "'",
        Optional.empty(),
        () -> ImageReference.parse(text).isLoopback(),
        IllegalArgumentException.class);
  }

  @Property
  void authChallenge(@ForAll("challengeText") String text) {
    checkChallenge(text);
  }

  @Property
  void authChallengeFromDamagedSample(@ForAll Random random) {
    checkChallenge(Mutations.mutate(CHALLENGE, "\"\\=, ", random));
  }

  @Property
  void tokenResponse(@ForAll("jsonText") String text) {
    checkToken(text);
  }

  @Property
  void tokenResponseFromDamagedSample(@ForAll Random random) {
    checkToken(Mutations.mutate(TOKEN, "{}[]\",:\\0123456789", random));
  }

  @Property
  void manifestMediaType(@ForAll("jsonText") String text) {
    checkManifestType(text);
  }

  @Property
  void manifestMediaTypeFromDamagedSample(@ForAll Random random) {
    checkManifestType(Mutations.mutate(MANIFEST, "{}[]\",:\\0123456789", random));
  }

  /** The realm is only used once the challenge parsed; it comes from the registry too. */
  private static void checkChallenge(String text) {
    BadInput.check(
        "challenge '" + text + "'",
        Optional.empty(),
        () -> {
          Optional<AuthChallenge> challenge = AuthChallenge.parse(text);
          if (challenge.isPresent() && challenge.get().param("realm").isPresent()) {
            TokenFetcher.tokenUri("127.0.0.1:1", challenge.get(), List.of("repository:a:pull"));
          }
        },
        RegistryException.class);
  }

  private static void checkToken(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    BadInput.check(
        "token response " + BadInput.describe(body),
        Optional.of(REALM),
        () -> TokenFetcher.token(REALM, body),
        RegistryException.class);
  }

  private static void checkManifestType(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    BadInput.check(
        "manifest " + BadInput.describe(body),
        Optional.of("team/app"),
        () -> ManifestFetcher.mediaTypeOf(body, "manifest 1.0 of 127.0.0.1:1/team/app"),
        RegistryException.class);
  }

  @Provide
  Arbitrary<String> referenceText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("abc019/:@.[]_-sha256 ").ofMaxLength(120));
  }

  @Provide
  Arbitrary<String> challengeText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings()
            .withChars("Bearer Basic realm= service scope\"\\,:/h ")
            .ofMaxLength(120),
        Arbitraries.strings()
            .withChars("htp:/[]%?#@ \\\"0123456789.{}")
            .ofMaxLength(60)
            .map(realm -> "Bearer realm=\"" + realm + "\",service=x"));
  }

  @Provide
  Arbitrary<String> jsonText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("{}[]\",:\\0123456789 tokenmediaType").ofMaxLength(200));
  }
}
