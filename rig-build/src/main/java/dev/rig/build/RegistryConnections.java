package dev.rig.build;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.Sizes;
import dev.rig.build.push.ImagePushes;
import dev.rig.oci.digest.Digest;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.CredentialChain.UserPassword;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry clients of one {@link Rig}, made from {@link RegistryAccess} when first needed, and
 * their events turned into rig's own: blob lines as notices, retries as warnings, bytes sent as
 * push progress.
 */
final class RegistryConnections implements AutoCloseable {
  private final RegistryAccess access;
  private final BuildListener listener;
  private final Map<Digest, Long> sent = new ConcurrentHashMap<>();
  private RegistryClient client;

  RegistryConnections(RegistryAccess access, BuildListener listener) {
    this.access = access;
    this.listener = listener;
  }

  /**
   * The client for reading the bases of {@code images}; made now if none exists, with the flags
   * scoped to the command's push targets or, when it pushes nothing, to these bases' registries.
   */
  synchronized RegistryClient forBases(List<ImageSpec> images) throws IOException {
    if (client == null) {
      List<String> registries = new ArrayList<>();
      images.forEach(image -> registries.addAll(image.registries()));
      client =
          create(
              access.pushes()
                  ? RegistryTargets.pushes(registries, access.pushTo())
                  : RegistryTargets.pulls(images));
    }
    return client;
  }

  /** The client for pushing to {@code targets} (the one bases were read with, when it exists). */
  synchronized RegistryClient forPush(List<ImagePushes.Target> targets) throws IOException {
    if (client == null) {
      Set<String> hosts = new HashSet<>();
      targets.forEach(target -> hosts.addAll(target.reference().hostNames()));
      client = create(hosts);
    }
    return client;
  }

  /**
   * The client for reading and writing {@code reference} alone (verification), with the flags
   * scoped to its registry.
   */
  synchronized RegistryClient forReference(ImageReference reference) throws IOException {
    if (client == null) {
      client = create(reference.hostNames());
    }
    return client;
  }

  /**
   * A client whose explicit credentials, --tls-verify=false and --plain-http apply to {@code
   * targets} only.
   */
  private RegistryClient create(Set<String> targets) throws IOException {
    return new RegistryClient(
        options().withRelaxedHostsOnly(targets),
        CredentialChain.fromEnvironment(explicit(), targets),
        this::on);
  }

  private RegistryOptions options() {
    RegistryOptions options = RegistryOptions.defaults();
    if (access.caFile().isPresent()) {
      if (!Files.isRegularFile(access.caFile().get())) {
        throw new IllegalArgumentException(
            "--ca-file "
                + access.caFile().get()
                + ": no such file (give the PEM file of the registry's CA)");
      }
      options = options.withCaFile(access.caFile().get().toAbsolutePath());
    }
    if (!access.tlsVerify()) {
      options = options.withInsecure(true);
    }
    if (access.plainHttp()) {
      options = options.withPlainHttp(true);
    }
    return options;
  }

  private Optional<UserPassword> explicit() {
    if (access.credentials().isEmpty()) {
      return Optional.empty();
    }
    String creds = access.credentials().get();
    int colon = creds.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--creds needs USER:PASSWORD (a password may also come from RIG_REGISTRY_PASSWORD)");
    }
    return Optional.of(new UserPassword(creds.substring(0, colon), creds.substring(colon + 1)));
  }

  private void on(RegistryEvent event) {
    if (event instanceof RegistryEvent.CredentialsFound found) {
      notice(found.registry(), "using credentials from " + found.source(), false);
    } else if (event instanceof RegistryEvent.BlobSkipped skipped) {
      notice(skipped.repository(), short12(skipped.digest()) + " already there", false);
    } else if (event instanceof RegistryEvent.BlobMounted mounted) {
      notice(
          mounted.repository(),
          short12(mounted.digest()) + " mounted from " + mounted.from(),
          false);
    } else if (event instanceof RegistryEvent.BlobUploaded uploaded) {
      notice(
          uploaded.repository(),
          short12(uploaded.digest())
              + " uploaded ("
              + Sizes.bytes(uploaded.size())
              + ", "
              + Sizes.seconds(uploaded.took())
              + ")",
          false);
    } else if (event instanceof RegistryEvent.BlobDownloaded downloaded) {
      notice(
          "pull",
          short12(downloaded.digest())
              + " downloaded ("
              + Sizes.bytes(downloaded.size())
              + ", "
              + Sizes.seconds(downloaded.took())
              + ")",
          false);
    } else if (event instanceof RegistryEvent.BlobProgress progress) {
      sent.put(progress.digest(), progress.sent());
      long total = sent.values().stream().mapToLong(Long::longValue).sum();
      listener.on(
          new BuildEvent.PhaseProgress(
              "project", BuildEvent.Phase.PUSH, total, 0, BuildEvent.Unit.BYTES, ""));
    } else if (event instanceof RegistryEvent.Retrying retrying) {
      notice(
          "registry",
          "retrying "
              + retrying.what()
              + " (attempt "
              + retrying.attempt()
              + ", "
              + retrying.reason()
              + ")",
          true);
    }
  }

  private void notice(String scope, String text, boolean warning) {
    listener.on(new BuildEvent.Notice(scope, text, warning));
  }

  private static String short12(Digest digest) {
    return digest.algorithm() + ":" + digest.hex().substring(0, 12);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
