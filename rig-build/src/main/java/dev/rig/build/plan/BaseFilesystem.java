package dev.rig.build.plan;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The few files every Linux image needs and an image built from scratch would lack: the account
 * databases (container runtimes resolve {@code USER root} through /etc/passwd and refuse to start
 * without it), root's home and a sticky /tmp. Root's password is locked ({@code *}): nobody logs in
 * with a password unless a later step sets one.
 */
final class BaseFilesystem {
  private BaseFilesystem() {}

  static final String CREATED_BY = "rig base filesystem (accounts, /root, /tmp)";

  static LayerInput layer() {
    return new LayerInput(
        List.of(
            text(
                "/etc/passwd",
                0644,
                "root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
            text("/etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n"),
            text("/etc/shadow", 0600, "root:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n"),
            LayerEntry.directory("/root", 0700, 0, 0),
            LayerEntry.directory("/tmp", 01777, 0, 0)),
        CREATED_BY);
  }

  private static LayerEntry text(String path, int mode, String text) {
    return LayerEntry.file(
        path, Content.ofBytes(text.getBytes(StandardCharsets.UTF_8)), mode, 0, 0);
  }
}
