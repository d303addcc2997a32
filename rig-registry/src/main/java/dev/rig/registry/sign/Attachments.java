package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.MediaTypes;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.endpoint.BlobChecker;
import dev.rig.registry.endpoint.BlobUploader;
import dev.rig.registry.endpoint.FetchedManifest;
import dev.rig.registry.endpoint.ManifestFetcher;
import dev.rig.registry.endpoint.ManifestPusher;
import dev.rig.registry.endpoint.UploadStarter;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import dev.rig.registry.model.DigestMismatchException;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signature and attestation images in a registry: pushed under the {@code sha256-HEX.sig}/{@code
 * .att} tag of the image they sign (what cosign and skopeo read), added to what is there already
 * (an attachment pushed again is stored once), and read back.
 */
public final class Attachments {
  // An attachment is a few KB of JSON; a larger layer is not one rig reads into memory.
  private static final long MAX_BLOB = 16L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RegistryClient client;

  public Attachments(RegistryClient client) {
    this.client = client;
  }

  /**
   * What a push did.
   *
   * @param referrers empty when the registry has no referrers API (the tag alone serves), else
   *     whether its referrers list names the pushed manifest
   */
  public record Pushed(
      ImageReference reference, Digest digest, int attachments, Optional<Boolean> referrers) {}

  /** The manifest a reference points at now: digest, size and media type. */
  public record Subject(Digest digest, long size, String mediaType) {}

  public Subject resolve(ImageReference image) throws IOException {
    FetchedManifest manifest =
        new ManifestFetcher(client.pullCaller(image)).fetch(image.manifestReference());
    return new Subject(manifest.digest(), manifest.bytes().length, manifest.mediaType());
  }

  public Pushed push(
      ImageReference image, Subject subject, AttachmentKind kind, List<Attachment> adding)
      throws IOException {
    String tag = kind.tag(subject.digest());
    ImageReference target = image.withTag(tag);
    RegistryCaller caller = client.pushCaller(target, List.of());
    List<Attachment> all = new ArrayList<>(read(caller, tag));
    for (Attachment attachment : adding) {
      if (all.stream().noneMatch(attachment::sameAs)) {
        all.add(attachment);
      }
    }
    AttachmentManifest manifest =
        AttachmentManifest.of(all, subject.digest(), subject.size(), subject.mediaType());
    for (Attachment attachment : all) {
      upload(caller, attachment.digest(), attachment.blob());
    }
    upload(caller, Digest.of(manifest.config()), manifest.config());
    Digest pushed =
        new ManifestPusher(caller).push(tag, manifest.manifest(), MediaTypes.OCI_MANIFEST);
    return new Pushed(
        target, pushed, all.size(), listedAsReferrer(caller, subject.digest(), pushed));
  }

  /** The attachments of {@code kind} stored for {@code subject}; none when there is no such tag. */
  public List<Attachment> fetch(ImageReference image, Digest subject, AttachmentKind kind)
      throws IOException {
    return read(client.pullCaller(image), kind.tag(subject));
  }

  private List<Attachment> read(RegistryCaller caller, String tag) throws IOException {
    ManifestFetcher fetcher = new ManifestFetcher(caller);
    if (fetcher.head(tag).isEmpty()) {
      return List.of();
    }
    FetchedManifest manifest = fetcher.fetch(tag);
    String where = caller.registry() + "/" + caller.repository() + ":" + tag;
    List<Attachment> attachments = new ArrayList<>();
    for (AttachmentManifest.Layer layer : AttachmentManifest.layers(manifest.bytes(), where)) {
      if (layer.size() < 0 || layer.size() > MAX_BLOB) {
        throw new RegistryException(
            where + " has a layer of " + layer.size() + " bytes; signatures are small JSON blobs");
      }
      attachments.add(
          new Attachment(layer.mediaType(), blob(caller, layer.digest()), layer.annotations()));
    }
    return attachments;
  }

  private static byte[] blob(RegistryCaller caller, Digest digest) throws IOException {
    Response response =
        caller.call(
            Call.of(
                "GET",
                "/v2/" + caller.repository() + "/blobs/" + digest,
                "get blob " + digest,
                200));
    byte[] bytes = response.body();
    if (!Digest.of(bytes).equals(digest)) {
      throw new DigestMismatchException(
          "registry " + caller.registry() + " served blob " + digest + " with other bytes");
    }
    return bytes;
  }

  private void upload(RegistryCaller caller, Digest digest, byte[] bytes) throws IOException {
    if (new BlobChecker(caller).exists(digest)) {
      return;
    }
    RegistryOptions options = client.options();
    new BlobUploader(caller, options.chunkSize(), options.monolithicLimit(), client.listener())
        .upload(
            new UploadStarter(caller).start("upload blob " + digest),
            digest,
            bytes.length,
            BlobSource.ofBytes(bytes));
  }

  /**
   * Asks the OCI 1.1 referrers API whether {@code pushed} is listed for {@code subject}; a registry
   * without the API answers 404 (distribution 2.8 does), and then the tag is all there is.
   */
  private static Optional<Boolean> listedAsReferrer(
      RegistryCaller caller, Digest subject, Digest pushed) throws IOException {
    Response response =
        caller.call(
            Call.of(
                    "GET",
                    "/v2/" + caller.repository() + "/referrers/" + subject,
                    "list referrers of " + subject,
                    200,
                    400,
                    404,
                    405)
                .withHeader("Accept", MediaTypes.OCI_INDEX));
    if (response.status() != 200) {
      return Optional.empty();
    }
    JsonNode index = JSON.readTree(response.body());
    for (JsonNode entry : index.path("manifests")) {
      if (pushed.toString().equals(entry.path("digest").asText())) {
        return Optional.of(true);
      }
    }
    return Optional.of(false);
  }
}
