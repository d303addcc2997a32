package dev.rig.python.index;

import java.net.URI;
import java.util.Optional;

/**
 * One file a project page lists, with what the page says about it.
 *
 * @param filename the file's name (a wheel, an sdist, ...)
 * @param url where to download it, absolute, without the hash fragment
 * @param sha256 the hash the page gives, lower-case hex
 * @param size the size the page gives (PEP 700 JSON pages)
 * @param requiresPython the Requires-Python the page gives ({@code data-requires-python})
 * @param yanked the yank reason when the file is yanked (PEP 592; empty text when none given)
 * @param metadataOffered whether the index serves the core metadata beside it (PEP 658/714)
 * @param metadataSha256 the hash of that metadata file, when given
 */
public record IndexFile(
    String filename,
    URI url,
    Optional<String> sha256,
    Optional<Long> size,
    Optional<String> requiresPython,
    Optional<String> yanked,
    boolean metadataOffered,
    Optional<String> metadataSha256) {
  public boolean isYanked() {
    return yanked.isPresent();
  }
}
