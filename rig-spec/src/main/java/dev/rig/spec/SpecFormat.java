package dev.rig.spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The languages a spec may be written in, told apart by file extension. */
enum SpecFormat {
  PKL,
  YAML,
  JSON;

  static Optional<SpecFormat> of(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".pkl")) {
      return Optional.of(PKL);
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return Optional.of(YAML);
    }
    if (name.endsWith(".json")) {
      return Optional.of(JSON);
    }
    return Optional.empty();
  }

  /** How option paths are written for users of this format. */
  OptionPath.Style pathStyle() {
    return this == PKL ? OptionPath.Style.PKL : OptionPath.Style.DATA;
  }
}
