package dev.rig.python.requirement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.python.marker.MarkerSyntaxException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** PEP 508 requirement strings as users and wheel metadata write them. */
class RequirementTest {
  @Test
  void namesExtrasSpecifiersAndMarkers() {
    Requirement r =
        Requirement.parse("Uvicorn[Standard, dev_tools] >=0.30,<1 ; python_version >= \"3.9\"");
    assertEquals("uvicorn", r.normalizedName());
    assertEquals(new TreeSet<>(Set.of("standard", "dev-tools")), r.extras());
    assertEquals(">=0.30,<1", r.specifiers().toString());
    assertTrue(r.appliesTo(MarkerEnvironment.builder().put("python_version", "3.11").build()));
    assertFalse(r.appliesTo(MarkerEnvironment.builder().put("python_version", "3.8").build()));

    assertEquals(
        "1.0",
        Requirement.parse("zope.interface (>=1.0)").specifiers().specifiers().get(0).version());
    assertEquals("zope-interface", Requirement.parse("zope.interface").normalizedName());
    assertTrue(Requirement.parse("torch==2.5.1+cu124").specifiers().specifiers().get(0).isPin());
    assertTrue(Requirement.parse("a; extra == 'x'").marker().isPresent());
  }

  @Test
  void badInputSaysWhereAndHow() {
    MarkerSyntaxException url =
        assertThrows(
            MarkerSyntaxException.class, () -> Requirement.parse("pkg @ https://host/pkg.whl"));
    assertTrue(url.getMessage().contains("direct URL"), url.getMessage());
    MarkerSyntaxException op =
        assertThrows(MarkerSyntaxException.class, () -> Requirement.parse("pkg =>1"));
    assertTrue(op.getMessage().contains("not a version clause"), op.getMessage());
    MarkerSyntaxException marker =
        assertThrows(
            MarkerSyntaxException.class, () -> Requirement.parse("pkg; python_version >= '3' and"));
    assertTrue(marker.getMessage().contains("expected a marker variable"), marker.getMessage());
    assertThrows(MarkerSyntaxException.class, () -> Requirement.parse("-e ."));
    assertThrows(MarkerSyntaxException.class, () -> Requirement.parse("pkg[extra"));
    assertThrows(MarkerSyntaxException.class, () -> Requirement.parse("pkg>=1.*"));
  }
}
