package dev.rig.build.result;

import java.time.Duration;

/** One image pushed to one repository: where, its digest, and what had to be sent. */
public record PushedImage(
    String reference,
    String digest,
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesUploaded,
    Duration took) {}
