package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.Rig;
import dev.rig.build.result.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig verify}: checks a pushed image's cosign signatures (and attestations). */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Checks the signatures stored for the manifest REF points at: each with the public key,"
            + " that it signs this digest, and that it names this repository. Exits 0 only when"
            + " one signature passes every check.")
final class VerifyCommand implements Callable<Integer> {
  /** Exit code of an image whose signature checks failed (1 is for errors). */
  static final int NOT_VERIFIED = 2;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "REF", description = "The image, REGISTRY/REPO:TAG or @sha256:...")
  String reference;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "PUB",
      description = "The public key (PKIX PEM, e.g. from `rig key generate`).")
  Path key;

  @Option(
      names = "--attestations",
      description = "Also verify the signed attestations (provenance) and list them.")
  boolean attestations;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifyReport report;
    try (CommandSession session = CommandSession.open(command, project, registry, true)) {
      Rig rig = session.rig();
      report = rig.verify(reference, key, attestations);
    }
    PrintWriter out = command.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("reference", report.reference());
      root.put("digest", report.digest());
      root.put("verified", report.verified());
      var checks = root.putArray("checks");
      report
          .lines()
          .forEach(l -> checks.addObject().put("passed", l.passed()).put("text", l.text()));
      var attested = root.putArray("attestations");
      report.attestations().forEach(attested::add);
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      for (VerifyReport.Line line : report.lines()) {
        out.println((line.passed() ? "ok    " : "FAIL  ") + line.text());
      }
      for (String predicate : report.attestations()) {
        out.println("attestation " + predicate);
      }
      out.println(
          report.verified()
              ? "verified: " + report.reference() + "@" + report.digest()
              : "NOT verified: " + report.reference() + "@" + report.digest());
    }
    out.flush();
    return report.verified() ? 0 : NOT_VERIFIED;
  }
}
