package dev.rig.cli;

import picocli.CommandLine.Command;

/** {@code rig key}: signing keys. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    subcommands = KeyGenerateCommand.class,
    description = "Signing keys for `rig push --sign` and `rig verify`.")
final class KeyCommand {}
