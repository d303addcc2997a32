package dev.rig.build.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DEP-5 licence synopses become SPDX expressions; what SPDX lacks becomes a LicenseRef. */
class DebianCopyrightTest {
  private static final String HEADER =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
          + "Upstream-Name: example\n\n";

  @Test
  void mapsDebianShortNamesAndJoinsFilesParagraphsWithAnd() {
    SpdxLicense license =
        DebianCopyright.license(
            HEADER
                + "Files: *\nCopyright: 2020 A\nLicense: GPL-2+\n\n"
                + "Files: lib/*\nCopyright: 2021 B\nLicense: LGPL-2.1+ or Expat\n\n"
                + "Files: gcc/*\nCopyright: 2021 B\nLicense: GPL-3+ with GCC-3.1 exception\n\n"
                + "Files: doc/*\nCopyright: 2022 C\nLicense: BSD-3-clause\n\n"
                + "License: GPL-2+\n This program is free software.\n");
    assertEquals(
        Optional.of(
            "BSD-3-Clause AND GPL-2.0-or-later AND (GPL-3.0-or-later WITH GCC-exception-3.1)"
                + " AND (LGPL-2.1-or-later OR MIT)"),
        license.expression());
    assertTrue(license.references().isEmpty());
  }

  @Test
  void namesSpdxDoesNotListBecomeLicenseRefsWithTheFilesText() {
    SpdxLicense license =
        DebianCopyright.license(
            HEADER
                + "Files: *\nCopyright: 2020 A\nLicense: public-domain\n\n"
                + "License: public-domain\n No rights reserved.\n");
    assertEquals(Optional.of("LicenseRef-public-domain"), license.expression());
    assertEquals(
        "public-domain\nNo rights reserved.", license.references().get("LicenseRef-public-domain"));
  }

  @Test
  void aFileThatIsNotMachineReadableGivesNoAssertion() {
    assertEquals(
        SpdxLicense.NOASSERTION,
        DebianCopyright.license("This package was debianized by someone.\n\nLicense: GPL\n"));
    assertEquals("NOASSERTION", SpdxLicense.NOASSERTION.spdx());
  }
}
