package dev.rig.spec;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A host file or directory to copy into an image.
 *
 * @param source the host path, absolute (a relative spec path is resolved against the spec file's
 *     directory); it existed when the spec was loaded
 * @param target the absolute path in the image; for a directory source, the directory its contents
 *     land in
 * @param mode permission bits for copied files; empty keeps each file's host permissions
 * @param uid the numeric owner in the image
 * @param gid the numeric group in the image
 */
public record CopyToRoot(Path source, String target, OptionalInt mode, int uid, int gid) {}
