package dev.rig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
  @Test
  void selectsWholePackagesInListOrderWithinTheSize() {
    List<CudaTree.Entry> catalog =
        List.of(
            new CudaTree.Entry("libcublaslt12", "1", "a", 1, 400_000),
            new CudaTree.Entry("libcudart12", "1", "b", 1, 1_000),
            new CudaTree.Entry("libcublas12", "1", "c", 1, 100_000),
            new CudaTree.Entry("libcurand10", "1", "d", 1, 90_000));
    // 200 MB = 195312 KiB: cudart + cublas + curand fit, cublasLt does not.
    assertEquals(
        List.of("libcudart12", "libcublas12", "libcurand10"),
        CudaTree.select(catalog, 200).stream().map(CudaTree.Entry::name).toList());
    // Always at least one package, even when it is larger than asked for.
    assertEquals(
        List.of("libcudart12"),
        CudaTree.select(catalog, 0).stream().map(CudaTree.Entry::name).toList());
  }

  @Test
  void sumsBytesUploadedFromPushJson() throws Exception {
    String json =
        "{\"pushed\":[{\"reference\":\"127.0.0.1:5000/bench/img:latest\",\"bytesUploaded\":12},"
            + "{\"reference\":\"x\",\"bytesUploaded\":30}]}";
    assertEquals(42, Bench.bytesUploaded(json));
  }

  @Test
  void parsesOptionsAndRefusesUnknownOnes() {
    Bench.Options o = Bench.Options.parse(new String[] {"--size-mb", "200", "--threads", "4"});
    assertEquals(200, o.sizeMb());
    assertEquals(4, o.threads());
    assertFalse(o.packagesOnly());
    assertTrue(Bench.Options.parse(new String[] {"--packages-only"}).packagesOnly());
    assertTrue(Bench.Options.parse(new String[] {"--zstd-only"}).zstdOnly());
    assertThrows(
        BenchException.class,
        () -> Bench.Options.parse(new String[] {"--zstd-only", "--packages-only"}));
    assertThrows(BenchException.class, () -> Bench.Options.parse(new String[] {"--nope"}));
    assertThrows(BenchException.class, () -> Bench.Options.parse(new String[] {"--size-mb"}));
  }

  @Test
  void takesTheMedianStart() {
    assertEquals(0.8, SshStart.median(new double[] {1.4, 0.8, 0.7}));
    assertEquals(0.75, SshStart.median(new double[] {0.8, 0.7}));
  }

  @Test
  void packageSpecKeepsSshdOnLoopbackAndDropsDocs() {
    String spec = PackageBench.spec(2222);
    assertTrue(spec.contains("sshd: { port: 2222, listenAddress: 127.0.0.1 }"), spec);
    assertTrue(spec.contains("slim: { docs: true, manPages: true, locales: true }"), spec);
    assertTrue(spec.contains("cuda: { enable: false }"), spec);
  }
}
