package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What rig unpacks before dpkg runs in an empty root: the Essential packages and every package's
 * Pre-Depends, with what they depend on, through virtual packages too; nothing else.
 */
class BootstrapSetTest {
  private static List<Stanza> index(String text) throws Exception {
    return ControlParser.parse("test", text);
  }

  @Test
  void essentialAndPreDependsAreClosedOverDependsAndProvides() throws Exception {
    List<Stanza> packages =
        index(
            """
            Package: dpkg
            Essential: yes
            Pre-Depends: libc6 (>= 2.38), liblzma5
            Depends: tar

            Package: tar
            Essential: yes
            Depends: libacl1

            Package: libacl1

            Package: libc6
            Depends: libgcc-s1

            Package: libgcc-s1

            Package: liblzma5

            Package: debconf
            Provides: debconf-2.0
            Pre-Depends: perl-base

            Package: perl-base
            Essential: yes

            Package: libpam-modules
            Pre-Depends: debconf (>= 0.5) | debconf-2.0, libpam-modules-bin (= 1.7.0-5)
            Depends: libpam0g

            Package: libpam-modules-bin

            Package: libpam0g

            Package: openssh-server
            Pre-Depends: init-system-helpers:any (>= 1.54~)
            Depends: libpam-modules, openssh-client

            Package: init-system-helpers
            Essential: yes
            Depends: usrmerge | usr-is-merged

            Package: usr-is-merged

            Package: openssh-client
            Depends: libcurl4

            Package: libcurl4
            """);

    assertEquals(
        Set.of(
            "dpkg",
            "tar",
            "libacl1",
            "libc6",
            "libgcc-s1",
            "liblzma5",
            "perl-base",
            "debconf",
            "libpam-modules-bin",
            "init-system-helpers",
            "usr-is-merged"),
        BootstrapSet.of(packages));
  }

  @Test
  void aSetWithoutEssentialPackagesNeedsNothing() throws Exception {
    assertEquals(
        Set.of(), BootstrapSet.of(index("Package: a\nDepends: b\n\nPackage: b\nEssential: no\n")));
  }
}
