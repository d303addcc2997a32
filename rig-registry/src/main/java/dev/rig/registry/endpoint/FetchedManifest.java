package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;

/** A manifest or index as the registry served it, verified against its digest. */
public record FetchedManifest(String mediaType, Digest digest, byte[] bytes) {
  public FetchedManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
