package dev.rig.spec;

import java.util.Optional;

/**
 * One option of the spec, as the options reference shows it.
 *
 * @param path where it goes, e.g. {@code images.<name>.extraEnv} or {@code
 *     images.<name>.copyToRoot[].source}
 * @param type its Pkl type as declared, e.g. {@code Mapping<EnvName, String>}
 * @param defaultValue its default as Pkl source text; empty when the option is required
 * @param doc its doc comment (Markdown)
 */
public record OptionDoc(String path, String type, Optional<String> defaultValue, String doc) {
  public boolean required() {
    return defaultValue.isEmpty();
  }
}
