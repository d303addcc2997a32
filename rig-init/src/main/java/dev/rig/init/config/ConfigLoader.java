package dev.rig.init.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and writes runtime.json. Unknown fields are errors: a typo like "dependOn" must not be
 * silently ignored in a file nobody reads until a container misbehaves.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** The mapper for runtime.json: durations as "2s"-style text, nulls left out. */
  public static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule("rig-durations");
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<Duration>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken().isNumeric()) {
              return Duration.ofMillis(p.getLongValue());
            }
            try {
              return Durations.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(p, e.getMessage());
            }
          }
        });
    durations.addSerializer(
        Duration.class,
        new JsonSerializer<Duration>() {
          @Override
          public void serialize(Duration d, JsonGenerator g, SerializerProvider sp)
              throws IOException {
            g.writeString(Durations.format(d));
          }
        });
    return new ObjectMapper()
        .registerModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** Parses and validates; the exception lists every problem with its place in the file. */
  public static RuntimeConfig parse(String json, String source) throws ConfigException {
    RuntimeConfig config;
    try {
      config = mapper().readValue(json, RuntimeConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, List.of(describe(e)));
    }
    if (config == null) {
      throw new ConfigException(source, List.of("is empty; expected a JSON object"));
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

  public static String write(RuntimeConfig config) {
    try {
      return mapper().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write runtime.json", e);
    }
  }

  private static String describe(JsonProcessingException e) {
    String where = "";
    JsonLocation loc = e.getLocation();
    if (loc != null && loc.getLineNr() > 0) {
      where = "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    }
    String path = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      path =
          m.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining("."))
              + ": ";
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return where
          + path
          + "unknown field '"
          + u.getPropertyName()
          + "'; known fields: "
          + u.getKnownPropertyIds();
    }
    return where + path + e.getOriginalMessage();
  }
}
