package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.sign.GeneratedKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rig key generate}: a new ECDSA P-256 key pair in cosign's format. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Writes a new key pair, PREFIX.key (encrypted with a passphrase from"
            + " RIG_SIGNING_PASSPHRASE or a prompt) and PREFIX.pub, in the format cosign and"
            + " skopeo use. Never overwrites a file.")
final class KeyGenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Option(
      names = "--out",
      paramLabel = "PREFIX",
      defaultValue = "rig",
      description = "Where to write: PREFIX.key and PREFIX.pub (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the passphrase from FILE's first line (else RIG_SIGNING_PASSPHRASE).")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    byte[] passphrase = Passphrase.forNewKey(out + ".key", Optional.ofNullable(passphraseFile));
    GeneratedKey key;
    try {
      key = Rig.generateKey(out, passphrase);
    } finally {
      Arrays.fill(passphrase, (byte) 0);
    }
    PrintWriter printer = command.commandLine().getOut();
    printer.println("private key: " + key.privateKey() + " (keep it secret)");
    printer.println("public key:  " + key.publicKey());
    printer.flush();
    return 0;
  }
}
