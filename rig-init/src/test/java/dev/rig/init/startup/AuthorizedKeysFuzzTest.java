package dev.rig.init.startup;

import dev.rig.testkit.BadInput;
import dev.rig.testkit.Mutations;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/**
 * authorized_keys lines, from the image or a market's environment variables: any line yields a key
 * identity or none (it is then counted as ignored), never an exception that stops startup.
 */
class AuthorizedKeysFuzzTest {
  private static final String LINE =
      "from=\"10.0.0.1\",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyBase64 user@host";

  @Property
  void authorizedKeyFromRandomText(@ForAll @StringLength(max = 300) String line) {
    BadInput.check(
        "authorized_keys line '" + line + "'", Optional.empty(), () -> SshKeys.identity(line));
  }

  @Property
  void authorizedKeyFromDamagedSample(@ForAll Random random) {
    String line = Mutations.mutate(LINE, " \t\",=\n#", random);
    BadInput.check(
        "authorized_keys line '" + line + "'", Optional.empty(), () -> SshKeys.identity(line));
  }
}
