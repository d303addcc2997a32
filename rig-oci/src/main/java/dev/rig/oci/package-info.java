/**
 * rig's OCI core: deterministic layers, digests, pinned compression, the blob cache, image
 * documents and outputs.
 *
 * <pre>
 * LayerInput ─► LayerPlan ─► LayerTarWriter ─► diffID        (layer, tar)
 *            └► LayerInputKey ─► BlobCache ─► BuiltLayer      (cache: LayerBuilder)
 * BuiltLayer* + BaseImage? + ImageConfig ─► ImageAssembler ─► AssembledImage   (image)
 * AssembledImage ─► OciLayoutWriter | OciArchiveWriter | DockerArchiveWriter  (layout)
 * OCI layout dir ─► OciLayoutReader ─► LayoutImage ─► BaseImage               (layout)
 * </pre>
 *
 * Nothing here reads the environment or the clock: the caller passes the SOURCE_DATE_EPOCH value
 * ({@link dev.rig.oci.SourceDateEpoch#parse}) and the cache root ({@link
 * dev.rig.oci.cache.BlobCache#open}). Progress is reported as {@link dev.rig.oci.event.OciEvent}s.
 */
package dev.rig.oci;
