package dev.rig.init.startup;

import dev.rig.init.config.SecretSpec;
import dev.rig.init.secrets.AgeDecryptor;
import dev.rig.init.secrets.AgeIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decrypts the age-encrypted secrets named in runtime.json to {@code secretsDir/NAME}, with the
 * identities from the config (the SSH host keys by default, as agenix does) plus RIG_AGE_IDENTITY.
 *
 * <p>Decision: a secret that cannot be decrypted is fatal (rig-init exits 1). A missing secret is a
 * configuration error, and services started without their credentials fail later in ways that hide
 * the cause (a Tailscale node that never joins, an API that answers 401).
 *
 * <p>Runs after the host-key step: a host key generated at this start cannot open anything, but a
 * key the user mounted or baked in must already be in place. The plaintext never touches a layer;
 * it is on a tmpfs when the container runtime mounted one there, else the step warns.
 */
public final class Secrets implements StartupStep {
  /** The variable that may hold one age identity (AGE-SECRET-KEY-1…). */
  public static final String IDENTITY_VAR = "RIG_AGE_IDENTITY";

  private final List<SecretSpec> secrets;
  private final List<String> identityFiles;

  public Secrets(List<SecretSpec> secrets, List<String> identityFiles) {
    this.secrets = List.copyOf(secrets);
    this.identityFiles = List.copyOf(identityFiles);
  }

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    if (secrets.isEmpty()) {
      return StepResult.skipped(name(), "no secrets declared");
    }
    List<String> notes = new ArrayList<>();
    List<AgeIdentity> identities = identities(ctx, notes);
    String tried = identityFiles + (ctx.env(IDENTITY_VAR) != null ? " and " + IDENTITY_VAR : "");
    String dirName = ctx.settings().secretsDir();
    Path dir = ctx.path(dirName);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x--x"));
    List<String> written = new ArrayList<>();
    for (SecretSpec s : secrets) {
      Path source = ctx.path(s.source());
      byte[] cipher;
      try {
        cipher = Files.readAllBytes(source);
      } catch (NoSuchFileException e) {
        return StepResult.fatal(
            name(), "secret '" + s.name() + "': " + s.source() + " does not exist in the image");
      }
      AgeDecryptor.Opened opened;
      try {
        opened = AgeDecryptor.decrypt(cipher, identities);
      } catch (Exception e) {
        return StepResult.fatal(
            name(),
            "cannot decrypt secret '"
                + s.name()
                + "' ("
                + s.source()
                + ") with the identities "
                + tried
                + ": "
                + e.getMessage()
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                + ". Fix: encrypt it to a key this container has (agenix: the host key you mount"
                + " at /etc/ssh), or pass the age key in "
                + IDENTITY_VAR);
      }
      write(dir.resolve(s.name()), opened.plaintext(), s);
      written.add(s.name() + " (" + opened.identity().kind() + ")");
    }
    String msg =
        "decrypted " + String.join(", ", written) + " to " + dirName + " (mode per secret)";
    String mount = TmpfsCheck.fsType(ctx, dirName);
    if (!TmpfsCheck.isMemory(mount)) {
      return StepResult.warning(
          name(),
          msg
              + "; but "
              + dirName
              + " is on "
              + (mount == null ? "an unknown filesystem" : mount)
              + ", not a tmpfs, so secrets may reach disk. Fix: --tmpfs "
              + dirName
              + " (docker/podman) or an emptyDir with medium: Memory (Kubernetes)");
    }
    return StepResult.ok(name(), msg + " on " + mount);
  }

  private List<AgeIdentity> identities(StepContext ctx, List<String> notes) {
    List<AgeIdentity> out = new ArrayList<>();
    for (String file : identityFiles) {
      Path p = ctx.path(file);
      if (!Files.exists(p)) {
        notes.add(file + " does not exist");
        continue;
      }
      try {
        out.addAll(AgeIdentity.parse(file, Files.readString(p)));
      } catch (Exception e) {
        notes.add(file + " is not usable: " + e.getMessage());
      }
    }
    String inline = ctx.env(IDENTITY_VAR);
    if (inline != null) {
      try {
        out.addAll(AgeIdentity.parse(IDENTITY_VAR, inline));
      } catch (Exception e) {
        notes.add(IDENTITY_VAR + " is not usable: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Writes a sibling created 0600 (so the plaintext is never readable by others, whatever the
   * umask), sets the final mode and owner, then renames it over: a reader sees all or nothing.
   */
  static void write(Path file, byte[] content, SecretSpec s) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".rig-tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp,
        PosixFilePermissions.asFileAttribute(
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    Files.write(tmp, content);
    Files.setPosixFilePermissions(tmp, permissions(s.mode()));
    UserPrincipal owner =
        file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(s.owner());
    if (!owner.equals(Files.getOwner(tmp, LinkOption.NOFOLLOW_LINKS))) {
      Files.setOwner(tmp, owner);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** "0400" → r--------. */
  static Set<PosixFilePermission> permissions(String octal) {
    int m = Integer.parseInt(octal, 8);
    StringBuilder sb = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }
}
