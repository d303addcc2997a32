package dev.rig.cli;

import dev.rig.oci.compress.Compression;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --compression gzip|zstd}. */
final class CompressionOption implements ITypeConverter<Compression> {
  @Override
  public Compression convert(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "gzip":
        return Compression.GZIP;
      case "zstd":
        return Compression.ZSTD;
      default:
        throw new TypeConversionException("unknown compression '" + value + "' (use gzip or zstd)");
    }
  }
}
