package dev.rig.registry.model;

import dev.rig.oci.digest.Digest;
import java.nio.file.Path;

/**
 * What a pull did.
 *
 * @param digest the digest of the platform manifest written to the layout
 * @param refName the name the image has in the layout's index.json
 * @param blobsDownloaded layers fetched from the registry
 * @param blobsPresent layers the layout already had
 */
public record PullResult(
    ImageReference reference,
    Digest digest,
    Path layout,
    String refName,
    int blobsDownloaded,
    int blobsPresent,
    long bytesDownloaded) {}
