package dev.rig.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pkl.core.ModuleSchema;
import org.pkl.core.PClass;

class OptionsReferenceTest {

  /** Every property of every class of the schema, read independently of the reference. */
  private static List<String> schemaProperties() {
    try (SpecEvaluator evaluator = SpecEvaluator.forSchema()) {
      ModuleSchema schema = evaluator.schema();
      List<PClass> classes = new ArrayList<>(schema.getClasses().values());
      classes.add(schema.getModuleClass());
      List<String> properties = new ArrayList<>();
      for (PClass pclass : classes) {
        pclass.getProperties().values().stream()
            .filter(property -> !property.isHidden())
            .forEach(
                property ->
                    properties.add(pclass.getSimpleName() + "." + property.getSimpleName()));
      }
      return properties;
    }
  }

  @Test
  void everyOptionOfTheSchemaIsDocumentedWithATypeAndADefaultOrRequired() {
    List<OptionDoc> options = OptionsReference.options();
    List<String> properties = schemaProperties();

    // AptRepository is used twice (repositories[] and cuda.repository): its 4 options appear twice.
    assertEquals(properties.size() + 4, options.size(), () -> properties + " vs " + options);
    for (String property : properties) {
      String name = property.substring(property.indexOf('.') + 1);
      Optional<OptionDoc> option =
          options.stream()
              .filter(o -> o.path().equals(name) || o.path().endsWith("." + name))
              .findFirst();
      assertTrue(option.isPresent(), "no reference entry for " + property);
      assertFalse(option.get().doc().isBlank(), "no doc comment on " + property);
      assertFalse(option.get().type().isBlank(), "no type for " + property);
    }
  }

  @Test
  void onlyCopySourcesAndTargetsAndRepositoryEssentialsAreRequired() {
    Set<String> required =
        OptionsReference.options().stream()
            .filter(OptionDoc::required)
            .map(OptionDoc::path)
            .collect(Collectors.toSet());

    assertEquals(
        Set.of(
            "images.<name>.copyToRoot[].source",
            "images.<name>.copyToRoot[].target",
            "images.<name>.repositories[].uri",
            "images.<name>.repositories[].suites",
            "images.<name>.repositories[].signedBy",
            "images.<name>.cuda.repository.uri",
            "images.<name>.cuda.repository.suites",
            "images.<name>.cuda.repository.signedBy",
            "images.<name>.runtime.services.<name>.command",
            "images.<name>.runtime.secrets.<name>.file"),
        required);
  }

  @Test
  void everyNamedTypeIsDocumented() {
    assertFalse(OptionsReference.types().isEmpty());
    OptionsReference.types()
        .forEach(
            (name, doc) ->
                assertFalse(
                    doc.startsWith("\n") || doc.startsWith("Defined as"), name + ": " + doc));
  }

  @Test
  void optionsAreListedWithPathTypeDefaultAndDoc() {
    List<String> paths = OptionsReference.options().stream().map(OptionDoc::path).toList();
    assertEquals(
        List.of(
            "images",
            "images.<name>.tag",
            "images.<name>.env",
            "images.<name>.extraEnv",
            "images.<name>.labels",
            "images.<name>.extraLabels",
            "images.<name>.exposedPorts",
            "images.<name>.user",
            "images.<name>.workingDir",
            "images.<name>.entrypoint",
            "images.<name>.cmd",
            "images.<name>.copyToRoot",
            "images.<name>.copyToRoot[].source",
            "images.<name>.copyToRoot[].target",
            "images.<name>.copyToRoot[].mode",
            "images.<name>.copyToRoot[].uid",
            "images.<name>.copyToRoot[].gid",
            "images.<name>.maxLayers",
            "images.<name>.registries",
            "images.<name>.from",
            "images.<name>.platform",
            "images.<name>.packages",
            "images.<name>.distributions",
            "images.<name>.repositories",
            "images.<name>.repositories[].uri",
            "images.<name>.repositories[].suites",
            "images.<name>.repositories[].components",
            "images.<name>.repositories[].signedBy",
            "images.<name>.installRecommends",
            "images.<name>.includeApt",
            "images.<name>.slim",
            "images.<name>.slim.docs",
            "images.<name>.slim.manPages",
            "images.<name>.slim.locales",
            "images.<name>.python",
            "images.<name>.python.enable",
            "images.<name>.python.interpreter",
            "images.<name>.python.venv",
            "images.<name>.python.requirements",
            "images.<name>.python.requirementsFile",
            "images.<name>.python.pyproject",
            "images.<name>.python.lockFile",
            "images.<name>.python.indexUrl",
            "images.<name>.python.extraIndexUrls",
            "images.<name>.python.bytecode",
            "images.<name>.systemPackages",
            "images.<name>.environment",
            "images.<name>.environment.core",
            "images.<name>.environment.dev",
            "images.<name>.environment.network",
            "images.<name>.environment.shell",
            "images.<name>.cuda",
            "images.<name>.cuda.enable",
            "images.<name>.cuda.version",
            "images.<name>.cuda.repository",
            "images.<name>.cuda.repository.uri",
            "images.<name>.cuda.repository.suites",
            "images.<name>.cuda.repository.components",
            "images.<name>.cuda.repository.signedBy",
            "images.<name>.cuda.packages",
            "images.<name>.cuda.driverCapabilities",
            "images.<name>.cuda.allowDriverPackages",
            "images.<name>.home",
            "images.<name>.homeGit",
            "images.<name>.homeGit.url",
            "images.<name>.homeGit.ref",
            "images.<name>.homeGit.directory",
            "images.<name>.runtime",
            "images.<name>.runtime.enable",
            "images.<name>.runtime.javaPackage",
            "images.<name>.runtime.sshd",
            "images.<name>.runtime.sshd.enable",
            "images.<name>.runtime.sshd.port",
            "images.<name>.runtime.sshd.listenAddress",
            "images.<name>.runtime.services",
            "images.<name>.runtime.services.<name>.command",
            "images.<name>.runtime.services.<name>.env",
            "images.<name>.runtime.services.<name>.workingDir",
            "images.<name>.runtime.services.<name>.restart",
            "images.<name>.runtime.services.<name>.maxRestarts",
            "images.<name>.runtime.services.<name>.restartDelay",
            "images.<name>.runtime.services.<name>.stopSignal",
            "images.<name>.runtime.services.<name>.stopTimeout",
            "images.<name>.runtime.services.<name>.dependsOn",
            "images.<name>.runtime.services.<name>.readiness",
            "images.<name>.runtime.services.<name>.readiness.tcpPort",
            "images.<name>.runtime.services.<name>.readiness.httpUrl",
            "images.<name>.runtime.services.<name>.readiness.exec",
            "images.<name>.runtime.services.<name>.readiness.file",
            "images.<name>.runtime.services.<name>.readiness.timeout",
            "images.<name>.runtime.services.<name>.configData",
            "images.<name>.runtime.services.<name>.logFile",
            "images.<name>.runtime.services.<name>.essential",
            "images.<name>.runtime.extraStartupScript",
            "images.<name>.runtime.extraStartupScriptTimeout",
            "images.<name>.runtime.secrets",
            "images.<name>.runtime.secrets.<name>.file",
            "images.<name>.runtime.secrets.<name>.mode",
            "images.<name>.runtime.secrets.<name>.owner",
            "images.<name>.runtime.secretIdentities",
            "images.<name>.runtime.tailscale",
            "images.<name>.runtime.tailscale.enable",
            "images.<name>.runtime.tailscale.authKeySecret",
            "images.<name>.runtime.tailscale.hostname",
            "images.<name>.runtime.tailscale.extraArgs",
            "images.<name>.runtime.shmMinimumMib",
            "images.<name>.vm",
            "images.<name>.vm.kernelPackage",
            "images.<name>.vm.vcpus",
            "images.<name>.vm.memoryMiB",
            "images.<name>.vm.diskSizeMiB",
            "images.<name>.vm.freeSpaceMiB",
            "images.<name>.vm.cmdline",
            "images.<name>.vm.gpu",
            "images.<name>.vm.gpu.vfioBind",
            "images.<name>.vm.gpu.nvidiaDriver",
            "signing",
            "signing.key",
            "signing.keyEnv",
            "signing.passphraseEnv"),
        paths);
    OptionDoc ports =
        OptionsReference.options().stream()
            .filter(o -> o.path().equals("images.<name>.exposedPorts"))
            .findFirst()
            .orElseThrow();
    assertEquals("Listing<Port>", ports.type());
    assertEquals(Optional.of("new { \"22/tcp\" }"), ports.defaultValue());
    assertTrue(ports.doc().startsWith("The ports the image declares"), ports.doc());
  }

  @Test
  void eachEnvironmentSetDocumentsExactlyItsPackages() {
    Map<String, List<String>> sets =
        Map.of(
            "core", EnvironmentSpec.CORE,
            "dev", EnvironmentSpec.DEV,
            "network", EnvironmentSpec.NETWORK,
            "shell", EnvironmentSpec.SHELL);
    sets.forEach(
        (set, packages) -> {
          OptionDoc option =
              OptionsReference.options().stream()
                  .filter(o -> o.path().equals("images.<name>.environment." + set))
                  .findFirst()
                  .orElseThrow();
          String listed = option.doc().split("\\(")[0].replace("\n", " ").strip();
          assertEquals(String.join(" ", packages), listed, set);
        });
    OptionDoc cuda =
        OptionsReference.options().stream()
            .filter(o -> o.path().equals("images.<name>.cuda.packages"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        cuda.doc().replace("\n", " ").contains(String.join(" ", CudaSpec.DEBIAN_12_4)), cuda.doc());
  }

  @Test
  void markdownHoldsEveryOption() {
    String markdown = OptionsReference.markdown();

    for (OptionDoc option : OptionsReference.options()) {
      assertTrue(markdown.contains("## `" + option.path() + "`\n"), option.path());
    }
    assertTrue(markdown.contains("- Type: `Int(isBetween(1, 127))`\n- Default: `50`\n"));
    assertTrue(markdown.contains("- Type: `HostPath`\n- Default: none (required)\n"));
    assertTrue(markdown.contains("    [\"LANG\"] = \"C.UTF-8\"\n"), "multi-line defaults");
    assertTrue(markdown.contains("### `Port`\n"));
    assertTrue(markdown.endsWith("\n") && !markdown.endsWith("\n\n"));
  }

  @Test
  void plainTextHoldsEveryOption() {
    String text = OptionsReference.text();

    assertTrue(text.contains("images.<name>.tag: Tag = \"latest\"\n    The image tag"), text);
    assertTrue(text.contains("images.<name>.copyToRoot[].target: AbsolutePath (required)\n"));
  }
}
