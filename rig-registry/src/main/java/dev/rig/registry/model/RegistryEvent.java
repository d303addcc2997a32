package dev.rig.registry.model;

import dev.rig.oci.digest.Digest;
import java.time.Duration;

/** Progress of registry work, for a progress display or a --json summary. */
public sealed interface RegistryEvent {
  /** The registry answered its API ping; {@code baseUri} says whether it is https or http. */
  record Connected(String registry, String baseUri) implements RegistryEvent {}

  /** Credentials were found for a registry; {@code source} says where (never the secret). */
  record CredentialsFound(String registry, String source) implements RegistryEvent {}

  /** A bearer token was obtained for {@code scopes}. */
  record TokenObtained(String registry, String scopes) implements RegistryEvent {}

  /** The registry already has the blob; nothing is sent. */
  record BlobSkipped(String repository, Digest digest, long size) implements RegistryEvent {}

  /** The blob was mounted from another repository of the same registry. */
  record BlobMounted(String repository, Digest digest, String from) implements RegistryEvent {}

  /** A mount was asked for but the registry started an upload instead. */
  record MountDeclined(String repository, Digest digest, String from) implements RegistryEvent {}

  record BlobUploadStarted(String repository, Digest digest, long size) implements RegistryEvent {}

  /** Bytes of a blob sent so far (after each chunk, and once at the end of a monolithic PUT). */
  record BlobProgress(Digest digest, long sent, long size) implements RegistryEvent {}

  record BlobUploaded(String repository, Digest digest, long size, Duration took)
      implements RegistryEvent {}

  record BlobDownloaded(Digest digest, long size, Duration took) implements RegistryEvent {}

  record BlobPresentLocally(Digest digest) implements RegistryEvent {}

  record ManifestPushed(String reference, Digest digest) implements RegistryEvent {}

  /** A request failed in a way that may pass on a later try. */
  record Retrying(String what, int attempt, Duration delay, String reason)
      implements RegistryEvent {}
}
