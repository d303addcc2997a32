package dev.rig.build.push;

import dev.rig.build.result.BuiltImage;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.DockerSchema2;
import dev.rig.registry.ImagePusher;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes built images to their registries (or to one explicit target): where each image goes, and
 * which repository of the target registry can lend blobs by mount.
 */
public final class ImagePushes {
  /** The manifest format a push writes. */
  public enum Format {
    oci,
    docker
  }

  /** One image and where it goes. */
  public record Target(BuiltImage image, ImageReference reference) {}

  private ImagePushes() {}

  /** Where each image goes: {@code to} for a single image, else the spec's registries. */
  public static List<Target> targets(List<BuiltImage> images, Optional<String> to) {
    List<Target> targets = new ArrayList<>();
    if (to.isPresent()) {
      if (images.size() != 1) {
        throw new IllegalArgumentException(
            "--to names one target but "
                + images.size()
                + " images are selected; name one image, e.g. `rig push "
                + images.get(0).name()
                + " --to "
                + to.get()
                + "`");
      }
      // A bare repository means the image's own tag, not "latest".
      ImageReference ref = ImageReference.parse(to.get(), images.get(0).tag());
      targets.add(new Target(images.get(0), ref));
      return targets;
    }
    for (BuiltImage image : images) {
      if (image.registries().isEmpty()) {
        throw new IllegalArgumentException(
            "image '"
                + image.name()
                + "' has no registries to push to; add one to the spec, e.g. registries {"
                + " \"ghcr.io/ORG/"
                + image.name()
                + "\" }, or pass --to REGISTRY/REPO[:TAG]");
      }
      for (String repository : image.registries()) {
        targets.add(new Target(image, ImageReference.parse(repository + ":" + image.tag())));
      }
    }
    return targets;
  }

  public static List<PushResult> push(RegistryClient client, List<Target> targets, Format format)
      throws IOException {
    ImagePusher pusher = new ImagePusher(client);
    List<PushResult> results = new ArrayList<>();
    for (Target target : targets) {
      AssembledImage image = target.image().image();
      if (format == Format.docker) {
        image = DockerSchema2.convert(image);
      }
      results.add(pusher.push(image, target.reference(), mountSource(target, results)));
    }
    return results;
  }

  /**
   * A repository on the target's registry that already holds the blobs: one this run pushed the
   * same image to (it has every blob), else the one the base image came from.
   */
  private static Optional<String> mountSource(Target target, List<PushResult> done) {
    String registry = target.reference().registry();
    for (PushResult earlier : done) {
      if (earlier.reference().registry().equals(registry)
          && earlier.digest().equals(target.image().image().manifestDescriptor().digest())) {
        return Optional.of(earlier.reference().repository());
      }
    }
    return target
        .image()
        .baseSource()
        .filter(base -> base.registry().equals(registry))
        .map(ImageReference::repository);
  }
}
