package dev.rig.python.requirement;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Project names as PEP 503 compares them: {@code Typing_Extensions} is {@code typing-extensions}.
 */
public final class ProjectName {
  private static final Pattern VALID =
      Pattern.compile("[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", Pattern.CASE_INSENSITIVE);

  private ProjectName() {}

  /** Lower case, every run of {@code -}, {@code _} and {@code .} made one {@code -}. */
  public static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  /** Whether {@code name} is a valid project (or extra) name. */
  public static boolean isValid(String name) {
    return VALID.matcher(name).matches();
  }
}
