package dev.rig.cli;

import dev.rig.registry.ImageReference;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.ImageSpec;
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

  static Set<String> pushes(List<ImageSpec> images, Optional<String> to) {
    Set<String> hosts = new HashSet<>();
    if (to.isPresent()) {
      hosts.addAll(ImageReference.parse(to.get()).hostNames());
      return hosts;
    }
    for (ImageSpec image : images) {
      for (String repository : image.registries()) {
        hosts.addAll(ImageReference.parse(repository).hostNames());
      }
    }
    return hosts;
  }

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
