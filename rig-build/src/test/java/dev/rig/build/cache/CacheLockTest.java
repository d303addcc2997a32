package dev.rig.build.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache lock between a build and a gc in two processes, and in one. */
class CacheLockTest {
  @TempDir Path cache;

  @Test
  void aGcWaitsForABuildThatHoldsTheCacheInAnotherProcess() throws Exception {
    Files.createDirectories(cache.resolve("rootfs/in-use/etc"));
    Files.writeString(cache.resolve("rootfs/in-use/etc/f"), "read by the build\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                cache.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("held", out.readLine());
      List<String> said = new CopyOnWriteArrayList<>();
      CompletableFuture<GcReport> gc =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return CacheAdmin.collect(cache, new GcLimits(0, 0), false, said::add);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(500);
      assertFalse(gc.isDone(), "the gc must wait while another process builds");
      assertTrue(Files.exists(cache.resolve("rootfs/in-use/etc/f")));
      assertEquals(1, said.size(), said.toString());
      assertTrue(said.get(0).startsWith("waiting for running builds to finish"), said.get(0));

      holder.getOutputStream().close();
      assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
      GcReport report = gc.get(10, TimeUnit.SECONDS);
      assertEquals(
          List.of("rootfs/in-use"), report.removed().stream().map(r -> r.entry()).toList());
      assertFalse(Files.exists(cache.resolve("rootfs/in-use")));
    } finally {
      holder.destroy();
    }
  }

  @Test
  void aBuildInThisProcessWaitsForAGcHere() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> build;
    try (CacheLock.Lease gc = CacheLock.exclusive(cache, line -> {})) {
      build =
          CompletableFuture.runAsync(
              () -> {
                try (CacheLock.Lease lease = CacheLock.shared(cache, said::add)) {
                  // Holds the cache for a moment, as a build would.
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(300);
      assertFalse(build.isDone());
    }
    build.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("waiting for `rig cache gc` in this process to finish"), said);
  }
}
