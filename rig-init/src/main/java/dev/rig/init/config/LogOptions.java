package dev.rig.init.config;

/**
 * How a service's output is re-emitted; the prefix is on by default so mixed logs stay readable.
 *
 * @param prefix put {@code [name] } in front of each stdout line
 * @param file also append each line (without prefix) to /var/log/rig/NAME.log
 * @param maxBytes the log file is rotated once it would grow past this size
 * @param keep how many rotated files (NAME.log.1 … NAME.log.keep) are kept
 */
public record LogOptions(Boolean prefix, Boolean file, Long maxBytes, Integer keep) {
  public static final LogOptions DEFAULT = new LogOptions(null, null, null, null);

  public LogOptions {
    prefix = prefix == null ? Boolean.TRUE : prefix;
    file = file == null ? Boolean.FALSE : file;
    maxBytes = maxBytes == null ? 10L * 1024 * 1024 : maxBytes;
    keep = keep == null ? 3 : keep;
  }
}
