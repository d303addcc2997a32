package dev.rig.build.plan;

import dev.rig.build.runtime.RuntimeConfigs;
import dev.rig.init.config.ConfigValidator;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecException;
import dev.rig.spec.SpecLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of a spec that its schema cannot make, run before anything is fetched or installed: a
 * service that depends on one that does not exist is a mistake in the spec, and the user should
 * hear of it with its file and line at once, not after minutes of package downloads.
 */
public final class SpecChecks {
  /** {@code services.NAME.FIELD...: problem}, as rig-init's validator words it. */
  private static final Pattern SERVICE_PROBLEM =
      Pattern.compile("services\\.([A-Za-z0-9_.-]+?)\\.([A-Za-z.]+): (.*)");

  private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

  private SpecChecks() {}

  /** Every selected image's runtime hangs together; the first problem is thrown, located. */
  public static void check(Project project, List<ImageSpec> images) throws SpecException {
    for (ImageSpec image : images) {
      if (!image.parts().runtime()) {
        continue;
      }
      List<String> problems = ConfigValidator.problems(RuntimeConfigs.of(image.runtime()));
      if (!problems.isEmpty()) {
        throw located(project, image, problems.get(0), problems.size());
      }
    }
  }

  private static SpecException located(
      Project project, ImageSpec image, String problem, int count) {
    String more = count > 1 ? " (and " + (count - 1) + " more)" : "";
    Matcher service = SERVICE_PROBLEM.matcher(problem);
    if (!service.matches()) {
      return new SpecException(
          project.file(),
          SpecLocator.line(project.file(), List.of(image.name(), "runtime")),
          "images[\"" + image.name() + "\"].runtime",
          problem + more,
          "");
    }
    String name = service.group(1);
    String field = service.group(2);
    String text = service.group(3);
    Optional<String> value = quoted(text);
    List<String> anchors = new ArrayList<>(List.of(image.name(), name, field.split("\\.")[0]));
    value.ifPresent(anchors::add);
    return new SpecException(
        project.file(),
        SpecLocator.line(project.file(), anchors),
        "images[\"" + image.name() + "\"].runtime.services[\"" + name + "\"]." + field,
        text + more,
        "");
  }

  private static Optional<String> quoted(String text) {
    Matcher m = QUOTED.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
