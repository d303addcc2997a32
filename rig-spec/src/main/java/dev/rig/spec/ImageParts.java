package dev.rig.spec;

/**
 * Which of rig's parts an image gets, decided in this one place from its spec. The runtime, CUDA
 * and rig's default home come with packages: they are installed from them, so an image without
 * packages (a few copied files, a base image) has none of them.
 *
 * @param packages the image installs Debian packages
 * @param runtime rig-init, tini and sshd run the image
 * @param cuda the CUDA libraries and the toolkit's settings
 * @param home a /root layer: rig's dotfiles (with packages) and the spec's home directory
 */
public record ImageParts(boolean packages, boolean runtime, boolean cuda, boolean home) {
  static ImageParts of(ImageSpec spec) {
    boolean packages = !spec.packages().isEmpty();
    return new ImageParts(
        packages,
        packages && spec.runtime().enable(),
        packages && spec.cuda().enable(),
        packages || spec.home().isPresent());
  }
}
