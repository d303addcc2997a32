package dev.rig.init.config;

import dev.rig.init.json.JsonException;
import dev.rig.init.json.JsonReader;
import dev.rig.init.json.JsonValue;
import dev.rig.init.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes runtime.json. Unknown fields are errors: a typo like "dependOn" must not be
 * silently ignored in a file nobody reads until a container misbehaves.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Parses and validates; the exception lists every problem with its place in the file. */
  public static RuntimeConfig parse(String json, String source) throws ConfigException {
    RuntimeConfig config;
    try {
      JsonValue tree = JsonReader.parse(json);
      if (tree instanceof JsonValue.Null) {
        throw new ConfigException(source, List.of("is empty; expected a JSON object"));
      }
      config = RecordBinder.read(tree, RuntimeConfig.class);
    } catch (JsonException e) {
      throw new ConfigException(source, List.of(e.getMessage()));
    }
    List<String> problems = ConfigValidator.problems(config);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  public static RuntimeConfig load(Path file) throws ConfigException {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("does not exist"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getMessage()));
    }
  }

  /** runtime.json's text: the same bytes for the same config, as it is part of the image. */
  public static String write(RuntimeConfig config) {
    return JsonWriter.write(RecordBinder.write(config));
  }
}
