package dev.rig.apt.resolve;

import dev.rig.apt.version.DebianVersion;
import java.util.Optional;

/** One requested package, as on an apt-get command line: {@code name} or {@code name=version}. */
public record Request(String name, Optional<DebianVersion> pin) {
  public static Request parse(String text) {
    String s = text.strip();
    int eq = s.indexOf('=');
    if (eq < 0) {
      return new Request(s, Optional.empty());
    }
    return new Request(s.substring(0, eq), Optional.of(DebianVersion.parse(s.substring(eq + 1))));
  }

  @Override
  public String toString() {
    return name + pin.map(v -> "=" + v).orElse("");
  }
}
