package dev.rig.apt.repo;

/** A repository file whose signature or checksum does not hold; it must not be used. */
public final class SignatureException extends RuntimeException {
  public SignatureException(String message) {
    super(message);
  }

  public SignatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
