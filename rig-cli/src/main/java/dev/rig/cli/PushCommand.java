package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.RegistryAccess;
import dev.rig.build.Rig;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.PushedImage;
import dev.rig.build.result.SignedImage;
import dev.rig.build.sign.OpenedKey;
import dev.rig.build.sign.SigningKey;
import dev.rig.spec.Project;
import dev.rig.spec.SigningSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig push}: builds (from the cache) and pushes images to their registries. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description =
        "Pushes images to every repository in their `registries`, or to --to REF. Blobs the"
            + " registry has are skipped, blobs in another repository of it are mounted.")
final class PushCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--to",
      paramLabel = "REF",
      description = "Push the one selected image here, REGISTRY/REPO[:TAG], instead.")
  String to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "oci",
      description = "Manifest format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ImagePushes.Format format;

  @Option(
      names = "--sign",
      paramLabel = "KEY",
      description =
          "Sign each pushed manifest with this cosign-format private key (passphrase from"
              + " RIG_SIGNING_PASSPHRASE or a prompt), and attach a signed SLSA provenance.")
  Path sign;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the signing key's passphrase from FILE's first line.")
  Path passphraseFile;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  /** --sign, else the spec's signing key, else none. */
  private Optional<SigningKey> signingKey(SigningSpec signing) throws IOException {
    Optional<Path> file = Optional.ofNullable(passphraseFile);
    if (sign != null) {
      return Optional.of(
          SigningKey.ofFile(
              sign, Passphrase.forKey(sign.toString(), file, signing.passphraseEnv())));
    }
    if (signing.key().isPresent()) {
      Path key = signing.key().get();
      return Optional.of(
          SigningKey.ofFile(key, Passphrase.forKey(key.toString(), file, signing.passphraseEnv())));
    }
    if (signing.keyEnv().isPresent()) {
      String variable = signing.keyEnv().get();
      return Optional.of(
          SigningKey.ofEnvironment(
              variable, Passphrase.forKey("$" + variable, file, signing.passphraseEnv())));
    }
    return Optional.empty();
  }

  @Override
  public Integer call() throws Exception {
    RegistryAccess access = registry.access().pushing(Optional.ofNullable(to));
    try (CommandSession session =
        CommandSession.open(command, project, access, project.quiet || json)) {
      Rig rig = session.rig();
      Project spec = rig.load(project.spec());
      // Asked before the build: a wrong or missing passphrase stops the command before any work.
      Optional<OpenedKey> key = Optional.empty();
      Optional<SigningKey> signing = signingKey(spec.signing());
      if (signing.isPresent()) {
        key = Optional.of(Rig.openKey(signing.get()));
      }
      List<BuiltImage> images = rig.build(spec, names, project.locked);
      List<PushedImage> results = rig.push(images, Optional.ofNullable(to), format);
      List<SignedImage> signed =
          key.isPresent()
              ? rig.sign(spec, images, Optional.ofNullable(to), results, key.get())
              : List.of();
      session.endProgress();
      PrintWriter out = session.out();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        PushLines.json(root.putArray("pushed"), results);
        var signatures = root.putArray("signed");
        for (SignedImage image : signed) {
          ObjectNode entry = signatures.addObject();
          entry.put("reference", image.reference());
          entry.put("digest", image.digest());
          entry.put("signatureTag", image.signatureTag());
          entry.put("attestationTag", image.attestationTag());
          image.attestations().forEach(entry.putArray("attestations")::add);
          image.referrers().ifPresent(listed -> entry.put("referrers", listed));
        }
        PushLines.phases(root.putArray("phases"), rig.phases());
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } else {
        PushLines.print(out, results);
        for (SignedImage image : signed) {
          out.println(
              image.reference() + "@" + image.digest() + "  signed (" + image.signatureTag() + ")");
        }
      }
      out.flush();
    }
    return 0;
  }
}
