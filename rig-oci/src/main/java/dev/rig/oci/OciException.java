package dev.rig.oci;

import java.io.IOException;

/**
 * An OCI layout, archive, blob or cache entry is missing or not what it claims to be. The message
 * says what is wrong and where (a path, a digest, a ref name), so a user can fix it without a stack
 * trace. It is an {@link IOException} because it always comes from reading or writing files.
 */
public class OciException extends IOException {
  private static final long serialVersionUID = 1L;

  public OciException(String message) {
    super(message);
  }

  public OciException(String message, Throwable cause) {
    super(message, cause);
  }
}
