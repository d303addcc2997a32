package dev.rig.init.config;

/**
 * How a service's output is re-emitted; the prefix is on by default so mixed logs stay readable.
 */
public record LogOptions(Boolean prefix) {
  public static final LogOptions DEFAULT = new LogOptions(null);

  public LogOptions {
    prefix = prefix == null ? Boolean.TRUE : prefix;
  }
}
