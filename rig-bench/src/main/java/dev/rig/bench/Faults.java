package dev.rig.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bench/faults}: the fault soak ({@link FaultSoak}) on the README's GPU example by default,
 * 20 rounds and 20 kills at a 10% fault rate.
 *
 * <pre>
 * bench/faults [--spec FILE --image NAME] [--rounds N] [--kills N] [--rate R] [--seed N]
 *              [--idle-ms N] [--attempts N] [--work DIR]
 * </pre>
 */
public final class Faults {
  private Faults() {}

  public static void main(String[] args) throws IOException {
    Path repo = Path.of("").toAbsolutePath();
    Path spec = repo.resolve("examples/gpu/rig.pkl");
    String image = "gpu";
    int rounds = 20;
    int kills = 20;
    double rate = 0.10;
    long seed = 1;
    long idleMs = 2000;
    int attempts = 8;
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "rig-faults");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
        case "--spec" -> spec = Path.of(args[++i]).toAbsolutePath();
        case "--image" -> image = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--kills" -> kills = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--idle-ms" -> idleMs = Long.parseLong(args[++i]);
        case "--attempts" -> attempts = Integer.parseInt(args[++i]);
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        default -> {
          System.err.println("bench/faults: unknown option " + args[i] + " " + value);
          System.exit(2);
        }
      }
    }
    FaultSoak.Setup setup =
        new FaultSoak.Setup(
            List.of(repo.resolve("rig").toString()),
            work,
            spec,
            image,
            rounds,
            kills,
            rate,
            seed,
            Duration.ofMillis(idleMs),
            attempts);
    List<FaultSoak.PhaseResult> results = new FaultSoak(setup, System.err).run();
    System.out.println(
        "rig with RIG_NET_ATTEMPTS="
            + attempts
            + ", RIG_NET_IDLE_TIMEOUT="
            + idleMs / 1000.0
            + " s");
    System.out.print(FaultSoak.table(results, rate));
    boolean all = results.stream().allMatch(r -> r.completed() == r.operations());
    System.exit(all ? 0 : 1);
  }
}
