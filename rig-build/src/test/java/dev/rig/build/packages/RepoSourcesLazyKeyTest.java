package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rig.spec.AptRepositorySpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.PackagesSpec;
import dev.rig.spec.SlimSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A repository's key is parsed when something reads the repository, not when the sources are
 * listed: a rebuild from rig.lock and the cache reads no repository, and parsing keys (and setting
 * up an HTTPS client) was a fifth of its time.
 */
class RepoSourcesLazyKeyTest {
  @Test
  void theKeyIsParsedOnFirstUseAndABadOneFailsThere() throws Exception {
    AptRepositorySpec repo =
        new AptRepositorySpec(
            "http://127.0.0.1:9/repo",
            List.of("stable"),
            List.of("main"),
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n");
    PackagesSpec spec =
        new PackagesSpec(
            List.of("x"),
            List.of(),
            List.of(repo),
            false,
            false,
            SlimSpec.KEEP_ALL,
            List.of(),
            EnvironmentSpec.NONE);
    List<RepoSource> sources =
        new RepoSources(Map.of(), Path.of("/nonexistent")).sources("img", spec);
    assertEquals(1, sources.size());
    assertEquals("http://127.0.0.1:9/repo/", sources.get(0).lockUri());
    assertThrows(RuntimeException.class, () -> sources.get(0).keyring());
  }
}
