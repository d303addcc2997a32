package dev.rig.apt.testrepo;

import dev.rig.testkit.HermeticRepo.Deb;
import java.util.List;

/** The package universe of the hermetic repository: each package exercises one resolver rule. */
public final class Fixtures {
  private Fixtures() {}

  public static final List<Deb> DEBS =
      List.of(
          Deb.of(
              "app",
              "1.0-1",
              "amd64",
              "Pre-Depends",
              "base-lib",
              "Depends",
              "libfoo (>= 1.2), mail-transport-agent | exim-fake, tool:any",
              "Recommends",
              "extras"),
          Deb.of("libfoo", "1.1-1", "amd64", "Multi-Arch", "same"),
          Deb.of(
              "libfoo", "1.3-1", "amd64", "Multi-Arch", "same", "Depends", "libfoo-data (= 1.3-1)"),
          Deb.of("libfoo-data", "1.3-1", "all", "Multi-Arch", "foreign"),
          Deb.of("base-lib", "2.0", "amd64", "Multi-Arch", "same", "Source", "base (2.0-7)"),
          Deb.of("tool", "3.0", "amd64", "Multi-Arch", "allowed"),
          Deb.of("extras", "1.0", "all"),
          Deb.of(
              "postfix-fake",
              "1.0",
              "amd64",
              "Provides",
              "mail-transport-agent",
              "Conflicts",
              "mail-transport-agent"),
          Deb.of(
              "exim-fake",
              "1.0",
              "amd64",
              "Provides",
              "mail-transport-agent",
              "Conflicts",
              "mail-transport-agent"),
          Deb.of("virt-provider", "1.0", "amd64", "Provides", "libvirt-api (= 5)"),
          Deb.of("old-virt-provider", "1.0", "amd64", "Provides", "libvirt-api (= 3)"),
          Deb.of("consumer", "1.0", "amd64", "Depends", "libvirt-api (>= 4)"),
          Deb.of("clash-a", "1.0", "amd64", "Depends", "middle"),
          Deb.of("middle", "1.0", "all", "Depends", "clash-b"),
          Deb.of("clash-b", "1.0", "amd64", "Conflicts", "clash-a"),
          Deb.of("broken", "1.0", "amd64", "Depends", "needs-ghost"),
          Deb.of("needs-ghost", "1.0", "amd64", "Depends", "ghost-lib (>= 2)"),
          Deb.of("oldtool", "1.0", "amd64"),
          Deb.of("newtool", "2.0", "amd64", "Breaks", "oldtool (<< 2)"),
          Deb.of("pick-alt", "1.0", "amd64", "Depends", "ghost-lib | tool (>= 9) | extras"),
          Deb.of("base-files-fake", "1:13", "amd64", "Essential", "yes", "Priority", "required"),
          Deb.of("only-virtual-dep", "1.0", "amd64", "Depends", "mail-transport-agent"),
          Deb.of("wants-postfix", "1.0", "amd64", "Depends", "postfix-fake"));
}
