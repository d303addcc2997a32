package dev.rig.init.config;

/**
 * One age-encrypted secret shipped in the image and decrypted at start to {@code
 * <secretsDir>/<name>}. The ciphertext may sit in a layer; only the plaintext must not.
 *
 * @param name the file name under the secrets directory (also how services refer to it)
 * @param source absolute path of the age file inside the image, e.g. /etc/rig/secrets/NAME.age
 * @param mode octal permission bits of the decrypted file
 * @param owner user (name or numeric uid) that owns the decrypted file
 */
public record SecretSpec(String name, String source, String mode, String owner) {
  public SecretSpec {
    mode = mode == null ? "0400" : mode;
    owner = owner == null ? "root" : owner;
  }
}
