package dev.rig.build.sign;

import dev.rig.oci.io.TempNames;
import dev.rig.registry.sign.SigstoreKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * Writes a new key pair as {@code PREFIX.key} (sealed, readable by the owner only) and {@code
 * PREFIX.pub}; each written to a temp name then renamed, and never over an existing file (a key
 * overwritten by mistake cannot be recovered).
 */
public final class KeyFiles {
  private KeyFiles() {}

  public static GeneratedKey generate(Path prefix, byte[] passphrase) throws IOException {
    if (passphrase.length == 0) {
      throw new IllegalArgumentException(
          "an empty passphrase would leave the private key readable by anyone who copies the file;"
              + " set RIG_SIGNING_PASSPHRASE or type one at the prompt");
    }
    Path key = Path.of(prefix + ".key").toAbsolutePath();
    Path pub = Path.of(prefix + ".pub").toAbsolutePath();
    for (Path file : new Path[] {key, pub}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(
            file.toString(), null, "a key file is there already; remove it or give another --out");
      }
    }
    SecureRandom random = new SecureRandom();
    KeyPair pair = SigstoreKeys.generate(random);
    write(key, SigstoreKeys.encryptedPem(pair.getPrivate(), passphrase, random), true);
    write(pub, SigstoreKeys.publicPem(pair.getPublic()), false);
    return new GeneratedKey(key, pub);
  }

  private static void write(Path file, String text, boolean secret) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp =
        Files.createTempFile(
            dir,
            TempNames.prefix() + "key-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
