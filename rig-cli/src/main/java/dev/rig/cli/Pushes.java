package dev.rig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.result.BuiltImage;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.DockerSchema2;
import dev.rig.registry.ImagePusher;
import dev.rig.registry.ImageReference;
import dev.rig.registry.PushResult;
import dev.rig.registry.RegistryClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes built images to their registries (or to one explicit target) and reports each push: the
 * reference with its digest, and how many blobs were sent, mounted or already there.
 */
final class Pushes {
  enum Format {
    oci,
    docker
  }

  private Pushes() {}

  /** Where each image goes: {@code --to} for a single image, else the spec's registries. */
  static List<Target> targets(List<BuiltImage> images, Optional<String> to) {
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

  static List<PushResult> push(RegistryClient client, List<Target> targets, Format format)
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

  static void print(PrintWriter out, List<PushResult> results) {
    for (PushResult r : results) {
      out.println(
          r.reference()
              + "@"
              + r.digest()
              + "  "
              + (r.blobsUploaded() == 0
                  ? "no blob uploaded"
                  : "uploaded "
                      + r.blobsUploaded()
                      + " blob(s), "
                      + Progress.bytes(r.bytesUploaded()))
              + ", "
              + r.blobsMounted()
              + " mounted, "
              + r.blobsSkipped()
              + " already there ("
              + Progress.seconds(r.took())
              + ")");
    }
  }

  static void json(ArrayNode array, List<PushResult> results) {
    for (PushResult r : results) {
      ObjectNode node = array.addObject();
      node.put("reference", r.reference().toString());
      node.put("digest", r.digest().toString());
      node.put("blobsUploaded", r.blobsUploaded());
      node.put("blobsMounted", r.blobsMounted());
      node.put("blobsSkipped", r.blobsSkipped());
      node.put("bytesUploaded", r.bytesUploaded());
    }
  }

  record Target(BuiltImage image, ImageReference reference) {}
}
