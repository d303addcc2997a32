package dev.rig.python.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws every PEP 440 version and clause must obey, over generated versions. */
class VersionPropertiesTest {
  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> release =
        Arbitraries.integers()
            .between(0, 12)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(parts -> String.join(".", parts.stream().map(String::valueOf).toList()));
    Arbitrary<String> epoch = Arbitraries.of("", "", "", "1!", "2!");
    Arbitrary<String> pre = Arbitraries.of("", "", "a1", "b0", "rc2", ".alpha3", "-c1");
    Arbitrary<String> post = Arbitraries.of("", "", ".post1", "-2", "rev0");
    Arbitrary<String> dev = Arbitraries.of("", "", ".dev0", "dev4");
    Arbitrary<String> local = Arbitraries.of("", "", "", "+cpu", "+cu124.1", "+007");
    return Combinators.combine(epoch, release, pre, post, dev, local)
        .as((e, r, p, o, d, l) -> e + r + p + o + d + l);
  }

  @Property
  void theNormalFormParsesBackToTheSameVersion(@ForAll("versions") String text) {
    Version v = Version.parse(text);
    Version again = Version.parse(v.toString());
    assertEquals(v, again);
    assertEquals(v.toString(), again.toString());
    assertEquals(v.hashCode(), again.hashCode());
  }

  @Property
  void orderIsAntisymmetricAndConsistentWithEquals(
      @ForAll("versions") String a, @ForAll("versions") String b) {
    Version x = Version.parse(a);
    Version y = Version.parse(b);
    assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
    assertEquals(x.compareTo(y) == 0, x.equals(y));
    if (x.equals(y)) {
      assertEquals(x.hashCode(), y.hashCode());
    }
  }

  @Property
  void aVersionSatisfiesItsOwnPinAndInclusiveBounds(@ForAll("versions") String text) {
    Version v = Version.parse(text);
    assertTrue(Specifier.parse("==" + v).matches(v));
    assertTrue(Specifier.parse("===" + v).matches(v));
    Version plain = v.publicVersion();
    assertTrue(Specifier.parse(">=" + plain).matches(v));
    assertTrue(Specifier.parse("<=" + plain).matches(v));
    assertTrue(!Specifier.parse("!=" + v).matches(v));
    if (!v.hasLocal()) {
      assertTrue(!Specifier.parse("<" + v).matches(v) && !Specifier.parse(">" + v).matches(v));
    }
  }
}
