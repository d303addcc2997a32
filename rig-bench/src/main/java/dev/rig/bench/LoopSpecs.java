package dev.rig.bench;

/**
 * The specs of the content loop, each a small Pkl module that amends the README's example (copied
 * beside it) rather than an edited copy of its text, so that they keep working whatever the
 * example's layout becomes.
 */
final class LoopSpecs {
  private LoopSpecs() {}

  /** The example with {@code pkg} appended to image {@code image}'s packages. */
  static String withPackage(String example, String image, String pkg) {
    return header(example)
        + "images {\n  [\""
        + image
        + "\"] {\n    packages { \""
        + pkg
        + "\" }\n  }\n}\n";
  }

  /**
   * The example with sshd on 127.0.0.1:{@code port}: containers share the host's network here, so
   * sshd must neither listen on every address nor take the host's port 22.
   */
  static String withLoopbackSshd(String example, String image, int port) {
    return header(example)
        + "images {\n  [\""
        + image
        + "\"] {\n    runtime { sshd { port = "
        + port
        + "; listenAddress = \"127.0.0.1\" } }\n  }\n}\n";
  }

  private static String header(String example) {
    return "// Written by rig-bench: the README's GPU example, amended.\namends \""
        + example
        + "\"\n\n";
  }
}
