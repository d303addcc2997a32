package dev.rig.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML or JSON spec into {@link DataNode}s, keeping each value's line. Jackson's streaming
 * parser is used because its tree model forgets where values came from.
 */
final class DataParser {
  private DataParser() {}

  /**
   * The document's root value; empty for an empty YAML document. {@code content} is the file's
   * bytes, read once by the caller so that what is parsed is what the spec cache digests.
   */
  static Optional<DataNode> parse(Path file, byte[] content, SpecFormat format)
      throws SpecException {
    JsonFactory factory = format == SpecFormat.JSON ? new JsonFactory() : new YAMLFactory();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try (JsonParser parser = factory.createParser(content)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return Optional.empty();
      }
      DataNode root = read(parser, token);
      if (parser.nextToken() != null) {
        throw new SpecException(
            file,
            line(parser.currentTokenLocation()),
            "",
            "the file holds more than one document",
            "keep a single document with an images key");
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      String kind = format == SpecFormat.JSON ? "JSON" : "YAML";
      String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
      int line = firstMarkLine(message).orElse(e.getLocation() == null ? 0 : line(e.getLocation()));
      throw new SpecException(file, line, "", "invalid " + kind + ": " + problem(message), "", e);
    } catch (IOException e) {
      throw new SpecException(file, 0, "", "cannot read the file: " + e.getMessage(), "", e);
    }
  }

  private static DataNode read(JsonParser parser, JsonToken token) throws IOException {
    int line = line(parser.currentTokenLocation());
    switch (token) {
      case START_OBJECT -> {
        List<DataNode.Entry> entries = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line(parser.currentTokenLocation());
          entries.add(new DataNode.Entry(key, keyLine, read(parser, parser.nextToken())));
        }
        return new DataNode.MapNode(entries, line);
      }
      case START_ARRAY -> {
        List<DataNode> items = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          items.add(read(parser, next));
        }
        return new DataNode.ListNode(items, line);
      }
      case VALUE_STRING -> {
        return new DataNode.Scalar(parser.getText(), line);
      }
      case VALUE_NUMBER_INT -> {
        return new DataNode.Scalar(parser.getNumberValue(), line);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new DataNode.Scalar(parser.getDoubleValue(), line);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new DataNode.Scalar(parser.getBooleanValue(), line);
      }
      case VALUE_NULL -> {
        return new DataNode.Scalar(null, line);
      }
      default -> {
        // YAML tags such as !!binary come as embedded objects; their text is the best rendering.
        return new DataNode.Scalar(parser.getText(), line);
      }
    }
  }

  private static int line(JsonLocation location) {
    return Math.max(0, location.getLineNr());
  }

  // SnakeYAML's messages hold a context and a problem, each followed by an indented source mark
  // ("in 'reader', line 3, column 10:"), an excerpt and a caret. The unindented lines say what
  // is wrong; the first mark says where it began, which Jackson's own location sometimes misses.
  private static final Pattern MARK = Pattern.compile("^ in '[^']*', line ([0-9]+), column");

  private static String problem(String message) {
    return String.join(
        ": ", message.lines().filter(line -> !line.startsWith(" ") && !line.isBlank()).toList());
  }

  private static Optional<Integer> firstMarkLine(String message) {
    return message
        .lines()
        .map(MARK::matcher)
        .filter(Matcher::find)
        .map(matcher -> Integer.parseInt(matcher.group(1)))
        .findFirst();
  }
}
