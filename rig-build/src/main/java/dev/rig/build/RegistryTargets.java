package dev.rig.build;

import dev.rig.registry.model.ImageReference;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.ImageSpec;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registries a command's --creds, --tls-verify=false and --plain-http are for: where it pushes
 * (--to, or each image's `registries`), or, for a command that pushes nothing, where its images'
 * `from` come from. Any other registry the command talks to gets only its own logins.
 */
final class RegistryTargets {
  private RegistryTargets() {}

  /** The hosts of {@code to}, or of every repository in {@code registries}. */
  static Set<String> pushes(Collection<String> registries, Optional<String> to) {
    Set<String> hosts = new HashSet<>();
    if (to.isPresent()) {
      hosts.addAll(ImageReference.parse(to.get()).hostNames());
      return hosts;
    }
    for (String repository : registries) {
      hosts.addAll(ImageReference.parse(repository).hostNames());
    }
    return hosts;
  }

  /** The hosts the images' registry bases come from. */
  static Set<String> pulls(List<ImageSpec> images) {
    Set<String> hosts = new HashSet<>();
    for (ImageSpec image : images) {
      if (image.from().orElse(null) instanceof BaseImageRef.RegistryRef ref) {
        hosts.addAll(ImageReference.parse(ref.reference()).hostNames());
      }
    }
    return hosts;
  }
}
