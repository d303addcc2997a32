package dev.rig.init.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole of /etc/rig/runtime.json: what rig-init does in a container. The builder generates it;
 * this record is the one definition of its shape.
 */
public record RuntimeConfig(Map<String, ServiceSpec> services, StartupSettings startup) {
  public static final RuntimeConfig EMPTY = new RuntimeConfig(null, null);

  public RuntimeConfig {
    services =
        services == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(services));
    startup = startup == null ? StartupSettings.DEFAULT : startup;
  }
}
