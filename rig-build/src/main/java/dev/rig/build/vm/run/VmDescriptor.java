package dev.rig.build.vm.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code rig build --out vm:DIR} says about one image's VM in {@code DIR/<image>/vm.json}: the
 * machine's size, the kernel command line the image asks for, where the root disk appears, and
 * whether {@code run} may bind GPUs to vfio-pci.
 */
public record VmDescriptor(
    String image,
    int vcpus,
    int memoryMiB,
    String kernelCmdline,
    String rootDevice,
    boolean vfioBind) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public VmDescriptor {
    if (vcpus < 1) {
      throw new IllegalArgumentException("vcpus must be at least 1, not " + vcpus);
    }
    if (memoryMiB < 64) {
      throw new IllegalArgumentException("memoryMiB must be at least 64, not " + memoryMiB);
    }
  }

  /** Reads {@code file}; a missing or mistyped field is named with the file and how to fix it. */
  public static VmDescriptor read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException(
          file + ": not readable as JSON (" + e.getMessage() + "); " + REBUILD, e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": expected a JSON object; " + REBUILD);
    }
    try {
      JsonNode gpu = root.path("gpu");
      return new VmDescriptor(
          text(root, "image", file),
          number(root, "vcpus", file),
          number(root, "memoryMiB", file),
          root.path("kernelCmdline").asText(""),
          root.hasNonNull("rootDevice") ? text(root, "rootDevice", file) : "/dev/vda",
          gpu.path("vfioBind").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage() + "; " + REBUILD, e);
    }
  }

  private static final String REBUILD = "rebuild it with rig build --out vm:DIR";

  private static String text(JsonNode root, String field, Path file) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new IOException(
          file + ": field '" + field + "' must be a non-empty string; " + REBUILD);
    }
    return node.asText();
  }

  private static int number(JsonNode root, String field, Path file) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new IOException(file + ": field '" + field + "' must be a whole number; " + REBUILD);
    }
    return node.asInt();
  }
}
