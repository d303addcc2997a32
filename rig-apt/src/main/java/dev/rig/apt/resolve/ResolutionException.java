package dev.rig.apt.resolve;

/** No install set satisfies the request; the message shows the chain that led to the problem. */
public class ResolutionException extends RuntimeException {
  public ResolutionException(String message) {
    super(message);
  }
}
