package dev.rig.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pkl.core.PClass;
import org.pkl.core.PklException;
import org.pkl.core.StackFrame;

/**
 * Turns Pkl's multi-line error report into one {@link SpecException} line: the spec file and line
 * (mapped back to YAML or JSON where the module was generated), the option path, a short problem
 * and a hint. Pkl's report stays attached as the cause.
 */
final class PklErrorTranslator {
  private static final Pattern UNKNOWN_PROPERTY =
      Pattern.compile("Cannot find property `([^`]+)` in (?:object of type|module) `([^`]+)`\\.");
  private static final Pattern UNDEFINED_PROPERTY =
      Pattern.compile("Tried to read property `([^`]+)` but its value is undefined\\.");
  private static final Pattern WRONG_TYPE =
      Pattern.compile("Expected value of type `(.+?)`, but got (?:type )?`(.+?)`\\.");
  private static final Pattern CONSTRAINT = Pattern.compile("Type constraint `(.+)` violated\\.");
  private static final Pattern BETWEEN = Pattern.compile("isBetween\\((-?[0-9.]+), (-?[0-9.]+)\\)");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final SpecSource source;
  private final SpecEvaluator evaluator;
  private SpecSchema schema;

  PklErrorTranslator(SpecSource source, SpecEvaluator evaluator) {
    this.source = source;
    this.evaluator = evaluator;
  }

  SpecException translate(PklException error, List<StackFrame> frames) {
    List<String> message = messageLines(error.getMessage());
    String first = message.isEmpty() ? "the spec could not be evaluated" : message.get(0);
    String value =
        message.stream()
            .filter(line -> line.startsWith("Value: "))
            .map(line -> line.substring("Value: ".length()))
            .findFirst()
            .orElse("");
    boolean thrownBySchema =
        !frames.isEmpty() && frames.get(0).getModuleUri().equals(SpecEvaluator.SCHEMA_URI);
    Location at = locate(frames);

    Matcher matcher;
    if ((matcher = UNKNOWN_PROPERTY.matcher(first)).matches()) {
      String name = matcher.group(1);
      return at.property(name)
          .error("no such option", suggestion(name, matcher.group(2), at), error);
    }
    if ((matcher = UNDEFINED_PROPERTY.matcher(first)).matches()) {
      Location missing = at.property(matcher.group(1));
      return missing.error(
          "required option " + matcher.group(1) + " is not set",
          requiredHint(missing.path()),
          error);
    }
    if ((matcher = WRONG_TYPE.matcher(first)).matches()) {
      // Objects are shown as "new Listing { ?; ? }", which says no more than their type does.
      boolean plainValue = !value.isEmpty() && !value.startsWith("new ");
      String got = matcher.group(2) + (plainValue ? " " + shorten(value) : "");
      String hint =
          at.style() == OptionPath.Style.DATA
                  && matcher.group(1).equals("String")
                  && !matcher.group(2).equals("null")
              ? "quote the value to make it a string"
              : typeAndDefault(at.path());
      return at.error("expected " + matcher.group(1) + ", got " + got, hint, error);
    }
    if ((matcher = CONSTRAINT.matcher(first)).matches()) {
      Matcher between = BETWEEN.matcher(matcher.group(1));
      if (between.matches()) {
        return at.error(
            shorten(value) + " is out of range " + between.group(1) + "-" + between.group(2),
            "use a value between " + between.group(1) + " and " + between.group(2),
            error);
      }
      return at.error(
          shorten(value) + " does not satisfy " + matcher.group(1),
          typeAndDefault(at.path()),
          error);
    }
    if (thrownBySchema) {
      // rig's constraints throw "problem (how to fix it)"; a mapping key that breaks one is
      // reported by Pkl at the mapping, so find the entry's own line.
      Location key = at.keyNamedIn(first);
      int open = hintStart(first);
      return open < 0
          ? key.error(first, "", error)
          : key.error(
              first.substring(0, open).strip(),
              first.substring(open + 1, first.length() - 1),
              error);
    }
    return at.error(first, "", error);
  }

  /** The lines of Pkl's message proper: after its header, up to the first source excerpt. */
  private static List<String> messageLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("–– Pkl Error ––")) {
        continue;
      }
      if (line.isBlank()) {
        if (lines.isEmpty()) {
          continue;
        }
        break;
      }
      lines.add(line.strip());
    }
    return lines;
  }

  /** Where the opening parenthesis of a trailing "(hint)" is, or -1. */
  private static int hintStart(String text) {
    if (!text.endsWith(")")) {
      return -1;
    }
    int depth = 0;
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == ')') {
        depth++;
      } else if (c == '(' && --depth == 0) {
        return i > 0 ? i : -1;
      }
    }
    return -1;
  }

  private static String shorten(String value) {
    return value.length() <= 60 ? value : value.substring(0, 57) + "...";
  }

  /**
   * The innermost frame in a user's file: the spec (possibly generated from YAML or JSON) or a Pkl
   * file it imports. Frames in rig's schema and Pkl's standard library are context only.
   */
  private Location locate(List<StackFrame> frames) {
    for (StackFrame frame : frames) {
      String uri = frame.getModuleUri();
      if (uri.startsWith("modulepath:") || uri.startsWith("pkl:")) {
        continue;
      }
      OptionPath path = OptionPath.ofPklMember(frame.getMemberName());
      if (uri.equals(source.moduleUri())) {
        return new Location(
            source.file(),
            source.lines().applyAsInt(frame.getStartLine()),
            path,
            source.format().pathStyle(),
            Optional.of(frame),
            true);
      }
      if (uri.startsWith("file:")) {
        return new Location(
            Path.of(URI.create(uri)),
            frame.getStartLine(),
            path,
            OptionPath.Style.PKL,
            Optional.of(frame),
            false);
      }
    }
    return new Location(
        source.file(), 0, OptionPath.ROOT, source.format().pathStyle(), Optional.empty(), true);
  }

  private SpecSchema schema() {
    if (schema == null) {
      schema = new SpecSchema(evaluator.schema());
    }
    return schema;
  }

  private String suggestion(String name, String typeName, Location at) {
    Optional<PClass> pclass =
        schema()
            .classNamed(typeName)
            .or(
                () ->
                    at.inSpec()
                        ? schema()
                            .shapeAt(at.path())
                            .filter(Shape.ObjectShape.class::isInstance)
                            .map(shape -> ((Shape.ObjectShape) shape).pclass())
                        : Optional.empty());
    if (pclass.isEmpty()) {
      return "";
    }
    List<String> known =
        pclass.get().getAllProperties().values().stream()
            .filter(property -> !property.isHidden())
            .map(PClass.Property::getSimpleName)
            .toList();
    return Suggestions.closest(name, known)
        .map(close -> "did you mean " + close + "?")
        .orElse("known options here: " + String.join(", ", known));
  }

  private String requiredHint(OptionPath path) {
    return schema()
        .ownerOf(path)
        .map(
            owner ->
                "every "
                    + owner.getSimpleName()
                    + " needs it; its type is "
                    + PklTypes.render(propertyType(owner, path)))
        .orElse("it has no default");
  }

  private String typeAndDefault(OptionPath path) {
    return schema()
        .ownerOf(path)
        .map(
            owner -> {
              String name = lastProperty(path);
              String type = "the type is " + PklTypes.render(propertyType(owner, path));
              return SchemaDefaults.of(evaluator, owner, name)
                  .filter(text -> !text.contains("\n"))
                  .map(text -> type + "; the default is " + text)
                  .orElse(type);
            })
        .orElse("");
  }

  private static org.pkl.core.PType propertyType(PClass owner, OptionPath path) {
    return owner.getAllProperties().get(lastProperty(path)).getType();
  }

  private static String lastProperty(OptionPath path) {
    return ((OptionPath.Property) path.segments().get(path.segments().size() - 1)).name();
  }

  /** A place in a user's file, and how to report a problem there. */
  private final class Location {
    private final Path file;
    private final int line;
    private final OptionPath path;
    private final OptionPath.Style style;
    private final Optional<StackFrame> frame;
    private final boolean inSpec;

    Location(
        Path file,
        int line,
        OptionPath path,
        OptionPath.Style style,
        Optional<StackFrame> frame,
        boolean inSpec) {
      this.file = file;
      this.line = line;
      this.path = path;
      this.style = style;
      this.frame = frame;
      this.inSpec = inSpec;
    }

    OptionPath path() {
      return path;
    }

    OptionPath.Style style() {
      return style;
    }

    boolean inSpec() {
      return inSpec;
    }

    Location property(String name) {
      return new Location(file, line, path.property(name), style, frame, inSpec);
    }

    /**
     * The entry of the mapping at this location whose key is the first quoted word of {@code
     * message}, found in the mapping's source lines; this location if there is none.
     */
    Location keyNamedIn(String message) {
      Matcher quoted = QUOTED.matcher(message);
      if (frame.isEmpty()
          || !quoted.find()
          || !(inSpec && schema().shapeAt(path).orElse(null) instanceof Shape.MappingShape)) {
        return this;
      }
      String key = quoted.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
      String needle = "[" + PklSyntax.string(key) + "]";
      List<String> lines = frame.get().getSourceLines();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(needle)) {
          int generated = frame.get().getStartLine() + i;
          int mapped =
              file.equals(source.file()) ? source.lines().applyAsInt(generated) : generated;
          return new Location(file, mapped, path.key(key), style, frame, inSpec);
        }
      }
      return this;
    }

    SpecException error(String problem, String hint, PklException cause) {
      return new SpecException(file, line, path.render(style), problem, hint, cause);
    }
  }
}
