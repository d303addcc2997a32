package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.PackageRecord;
import dev.rig.build.packages.InstallStages.Requested;
import dev.rig.build.packages.InstallStages.Stage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstallStagesTest {
  private static PackageRecord pkg(String name, String... fields) {
    StringBuilder text =
        new StringBuilder("Package: " + name + "\nVersion: 1\nArchitecture: amd64\n");
    for (String field : fields) {
      text.append(field).append('\n');
    }
    return PackageRecord.from(ControlParser.parse("test", text.toString()).get(0));
  }

  private static final List<PackageRecord> LOCKED =
      List.of(
          pkg("base-files", "Essential: yes"),
          pkg("dash", "Essential: yes", "Pre-Depends: libc6"),
          pkg("libc6"),
          pkg("tini"),
          pkg("openssh-server", "Depends: libc6, openssh-client, debconf | debconf-2.0"),
          pkg("openssh-client", "Depends: libc6"),
          pkg("debconf"),
          pkg("libcublas12", "Depends: libc6, libcudart12"),
          pkg("libcudart12", "Depends: libc6"),
          pkg("python3", "Depends: python3.13, libpython3-stdlib", "Recommends: python3-doc"),
          pkg("python3.13", "Depends: libc6, mime-support | media-types"),
          pkg("media-types"),
          pkg("libpython3-stdlib"),
          pkg("python3-doc"),
          pkg("htop", "Depends: libc6, libncursesw6"),
          pkg("libncursesw6"),
          pkg("mawk", "Provides: awk"),
          pkg("stray", "Depends: python3, libc6"));

  private static List<Requested> requested(String... user) {
    List<Requested> stages = new ArrayList<>();
    stages.add(new Requested("base", List.of("tini", "openssh-server", "awk")));
    stages.add(new Requested("cuda", List.of("libcublas12")));
    for (String request : user) {
      stages.add(new Requested(request, List.of(request)));
    }
    return stages;
  }

  @Test
  void eachStageTakesTheClosureOfItsRequestsLessWhatIsBelow() {
    List<Stage> stages = InstallStages.partition(requested("python3", "htop"), LOCKED, false);
    assertEquals(
        List.of(
            new Stage(
                "base",
                List.of(
                    "base-files",
                    "dash",
                    "debconf",
                    "libc6",
                    "mawk",
                    "openssh-client",
                    "openssh-server",
                    // No closure reached it (Recommends are off), and it needs nothing.
                    "python3-doc",
                    "tini")),
            new Stage("cuda", List.of("libcublas12", "libcudart12")),
            // No closure reached stray either: it goes where what it needs is.
            new Stage(
                "python3",
                List.of("libpython3-stdlib", "media-types", "python3", "python3.13", "stray")),
            new Stage("htop", List.of("htop", "libncursesw6"))),
        stages);
  }

  @Test
  void addingARequestOnTopLeavesTheStagesBelowAsTheyWere() {
    List<PackageRecord> without =
        LOCKED.stream()
            .filter(p -> !p.name().equals("htop") && !p.name().equals("libncursesw6"))
            .toList();
    List<Stage> before = InstallStages.partition(requested("python3"), without, true);
    List<Stage> after = InstallStages.partition(requested("python3", "htop"), LOCKED, true);
    assertEquals(before, after.subList(0, 3));
    assertEquals(
        new Stage(
            "python3",
            List.of(
                "libpython3-stdlib",
                "media-types",
                "python3",
                "python3-doc",
                "python3.13",
                "stray")),
        after.get(2));
    assertEquals(new Stage("htop", List.of("htop", "libncursesw6")), after.get(3));
  }

  @Test
  void aStageWhoseRequestsAreBelowAlreadyIsDropped() {
    List<Stage> stages = InstallStages.partition(requested("openssh-client", "htop"), LOCKED, true);
    assertEquals(List.of("base", "cuda", "htop"), stages.stream().map(Stage::name).toList());
  }

  @Test
  void beyondTheLimitTheUsersRequestsShareTheLastStage() {
    List<String> user = new ArrayList<>();
    for (int i = 0; i < InstallStages.USER_STAGES + 3; i++) {
      user.add("p" + i);
    }
    List<Requested> stages = new ArrayList<>(requested(user.toArray(String[]::new)));
    // The same as the spec would give: the first USER_STAGES - 1 alone, the rest together.
    List<Requested> expected =
        new ArrayList<>(stages.subList(0, 2 + InstallStages.USER_STAGES - 1));
    List<String> rest = user.subList(InstallStages.USER_STAGES - 1, user.size());
    expected.add(new Requested(String.join(" ", rest), rest));
    assertEquals(expected, InstallStages.grouped(stages.subList(0, 2), user));
  }
}
