package dev.rig.build.sign;

import java.nio.file.Path;

/** The two files {@code rig key generate} wrote. */
public record GeneratedKey(Path privateKey, Path publicKey) {}
