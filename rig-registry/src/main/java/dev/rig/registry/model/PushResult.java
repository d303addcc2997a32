package dev.rig.registry.model;

import dev.rig.oci.digest.Digest;
import java.time.Duration;

/**
 * What a push did.
 *
 * @param reference where the image was pushed
 * @param digest the manifest digest: {@code reference@digest} names exactly this image
 * @param blobsUploaded blobs whose bytes were sent (config included)
 * @param blobsSkipped blobs the repository already had
 * @param blobsMounted blobs linked from another repository
 * @param bytesUploaded bytes of the blobs sent
 */
public record PushResult(
    ImageReference reference,
    Digest digest,
    int blobsUploaded,
    int blobsSkipped,
    int blobsMounted,
    long bytesUploaded,
    Duration took) {}
