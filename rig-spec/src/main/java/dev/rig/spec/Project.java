package dev.rig.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded, validated spec: the images it declares, by name (sorted, so builds and listings come
 * out in the same order every time).
 *
 * @param file the spec file, absolute
 * @param images the images by name; each name is a build target
 * @param signing where the key that signs pushes comes from
 */
public record Project(Path file, Map<String, ImageSpec> images, SigningSpec signing) {
  public Project {
    images = Collections.unmodifiableMap(new TreeMap<>(images));
  }
}
