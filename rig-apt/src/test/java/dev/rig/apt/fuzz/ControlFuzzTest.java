package dev.rig.apt.fuzz;

import dev.rig.apt.control.ControlFileException;
import dev.rig.apt.control.DependencyParser;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.ReleaseFile;
import dev.rig.apt.version.DebianVersion;
import dev.rig.testkit.BadInput;
import dev.rig.testkit.Mutations;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Malformed Packages indexes, Release files, versions and dependency fields: each either parses or
 * fails with the parser's own error naming the file and line, never with a stray exception.
 */
class ControlFuzzTest {
  private static final String INDEX =
      "http://127.0.0.1:1/debian/dists/x/main/binary-amd64/Packages";
  private static final String RELEASE = "http://127.0.0.1:1/debian/dists/x/InRelease";

  private static final String PACKAGES =
      """
      Package: libfoo1
      Source: foo (1:2.3-4)
      Version: 1:2.3-4+b1
      Installed-Size: 123
      Maintainer: A <a@rig.invalid>
      Architecture: amd64
      Multi-Arch: same
      Depends: libc6 (>= 2.34), libbar2 | libbaz (<< 3~), base:any
      Pre-Depends: dpkg (>= 1.19)
      Provides: foo-api (= 2), virtual
      Breaks: old (<< 1.0)
      Description: a library
       long text
       .
       more
      Filename: pool/main/f/foo/libfoo1_2.3-4+b1_amd64.deb
      Size: 45678
      SHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      Essential: yes
      Priority: required

      Package: two
      Version: 0.1~rc1
      Architecture: all
      """;

  private static final String RELEASE_TEXT =
      """
      Origin: Debian
      Suite: stable
      Codename: bookworm
      Architectures: amd64 arm64
      Components: main contrib
      Acquire-By-Hash: yes
      SHA256:
       0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 1234 main/binary-amd64/Packages
       fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210  567 main/binary-amd64/Packages.xz
      """;

  private static final String CONTROL_DELIMITERS = ":\n \t#,|()<>=~+-.";

  @Property
  void packagesIndexFromRandomText(@ForAll("controlText") String text) {
    checkIndex(text);
  }

  @Property
  void packagesIndexFromDamagedSample(@ForAll Random random) {
    checkIndex(Mutations.mutate(PACKAGES, CONTROL_DELIMITERS, random));
  }

  @Property
  void releaseFileFromRandomText(@ForAll("controlText") String text) {
    checkRelease(text);
  }

  @Property
  void releaseFileFromDamagedSample(@ForAll Random random) {
    checkRelease(Mutations.mutate(RELEASE_TEXT, CONTROL_DELIMITERS + "0123456789abcdef", random));
  }

  @Property
  void debianVersion(@ForAll("versionText") String text) {
    BadInput.check(
        "version '" + text + "'",
        Optional.empty(),
        () -> DebianVersion.parse(text),
        IllegalArgumentException.class);
  }

  @Property
  void debianVersionFromDamagedSample(@ForAll Random random) {
    String text = Mutations.mutate("1:2.30~rc1+dfsg-4ubuntu0.1", ":-~+.0123456789", random);
    BadInput.check(
        "version '" + text + "'",
        Optional.empty(),
        () -> DebianVersion.parse(text),
        IllegalArgumentException.class);
  }

  @Property
  void dependencyField(@ForAll("dependencyText") String text) {
    checkDependency(text);
  }

  @Property
  void dependencyFieldFromDamagedSample(@ForAll Random random) {
    checkDependency(
        Mutations.mutate(
            "libc6 (>= 2.34), libbar2:any | libbaz (<< 3~), python3 (= 1:3.11-1)",
            CONTROL_DELIMITERS,
            random));
  }

  private static void checkIndex(String text) {
    BadInput.check(
        "Packages text '" + text + "'",
        Optional.of(INDEX),
        () -> PackageRecord.parseIndex(INDEX, text),
        ControlFileException.class);
  }

  private static void checkRelease(String text) {
    BadInput.check(
        "Release text '" + text + "'",
        Optional.of(RELEASE),
        () -> ReleaseFile.parse(RELEASE, text),
        ControlFileException.class);
  }

  private static void checkDependency(String text) {
    BadInput.check(
        "dependency field '" + text + "'",
        Optional.empty(),
        () -> DependencyParser.parse(text),
        IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> controlText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(400),
        Arbitraries.strings()
            .withChars(
                "Package: Version Architecture Source Depends Size SHA256 Multi-Arch\n\n \t#:()|,0123456789abcdef-")
            .ofMaxLength(400),
        Arbitraries.of(
                "Package",
                "Version",
                "Architecture",
                "Source",
                "Provides",
                "Size",
                "Installed-Size",
                "Multi-Arch",
                "SHA256",
                "Depends",
                "Suite")
            .flatMap(
                field ->
                    Arbitraries.strings()
                        .withChars(": \n\t()|,=<>~+-.0123456789abcdefxyz")
                        .ofMaxLength(80)
                        .map(
                            value ->
                                "Package: p\nVersion: 1\nArchitecture: all\n"
                                    + field
                                    + ":"
                                    + value)));
  }

  @Provide
  Arbitrary<String> versionText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("0123456789:-~+.abcz ").ofMaxLength(40));
  }

  @Provide
  Arbitrary<String> dependencyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("abcz019 ,|:()<>=~+-.[]!").ofMaxLength(120));
  }
}
