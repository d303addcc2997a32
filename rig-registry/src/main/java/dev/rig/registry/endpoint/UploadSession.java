package dev.rig.registry.endpoint;

import java.util.Optional;

/**
 * An upload the registry has opened.
 *
 * @param location where to send the bytes (absolute)
 * @param minChunk the smallest chunk the registry accepts (OCI-Chunk-Min-Length), if it said
 */
public record UploadSession(String location, Optional<Long> minChunk) {}
