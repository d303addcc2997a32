package dev.rig.spec;

import static dev.rig.spec.SpecFiles.AMENDS;
import static dev.rig.spec.SpecFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonSpecTest {
  @TempDir Path dir;

  @Test
  void aRequirementTurnsTheVenvOnAndAddsItsInterpreterToThePackages() throws Exception {
    write(dir, "requirements.txt", "requests==2.32.3\n");
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.pkl",
                AMENDS
                    + """
                    images { ["app"] { python {
                      requirements { "numpy>=2"; "torch==2.5.1" }
                      requirementsFile = "requirements.txt"
                      extraIndexUrls { "http://127.0.0.1:9/simple" }
                      bytecode = false
                    } } }
                    """));
    ImageSpec app = project.images().get("app");
    PythonSpec python = app.python();
    assertTrue(python.enable());
    assertEquals("/opt/venv", python.venv());
    assertEquals(List.of("numpy>=2", "torch==2.5.1"), python.requirements());
    assertEquals(Optional.of(dir.resolve("requirements.txt")), python.requirementsFile());
    assertEquals(List.of("https://pypi.org/simple", "http://127.0.0.1:9/simple"), python.indexes());
    assertFalse(python.bytecode());
    assertEquals(List.of("python3", "python3-venv"), app.packages().requests());
    assertTrue(app.parts().packages());
  }

  @Test
  void anImageWithoutRequirementsHasNoVenv() throws Exception {
    Project project = SpecLoader.load(write(dir, "rig.pkl", AMENDS + "images { [\"x\"] {} }\n"));
    assertEquals(PythonSpec.NONE, project.images().get("x").python());
    assertTrue(project.images().get("x").packages().isEmpty());
  }

  @Test
  void aPasswordWrittenInTheIndexUrlIsRefusedWithoutEchoingIt() throws Exception {
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + """
                images { ["app"] { python {
                  requirements { "numpy" }
                  indexUrl = "https://me:hunter2@127.0.0.1:9/simple"
                } } }
                """);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(spec));
    assertEquals(4, e.line(), "the indexUrl line");
    assertEquals("the index URL has a user or password written in it", e.problem());
    assertTrue(e.hint().contains("${USER_VAR}"), e.hint());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void credentialsAsVariablesAreAccepted() throws Exception {
    Project project =
        SpecLoader.load(
            write(
                dir,
                "rig.pkl",
                AMENDS
                    + """
                    images { ["app"] { python {
                      requirements { "numpy" }
                      indexUrl = "https://${IDX_USER}:${IDX_TOKEN}@127.0.0.1:9/simple"
                    } } }
                    """));
    assertEquals(
        "https://${IDX_USER}:${IDX_TOKEN}@127.0.0.1:9/simple",
        project.images().get("app").python().indexUrl());
  }

  @Test
  void thePythonExampleLoads() throws Exception {
    Project project = SpecLoader.load(Path.of("..", "examples", "python", "rig.pkl"));
    PythonSpec python = project.images().get("python-web").python();
    assertTrue(python.enable());
    assertEquals(List.of("fastapi==0.115.4", "uvicorn==0.32.0"), python.requirements());
  }
}
