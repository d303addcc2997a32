package dev.rig.init.supervise;

/**
 * One service's row in status.json: an immutable snapshot, replaced on every change.
 *
 * @param pid the running process (its process group too), null when not running
 * @param restarts consecutive restarts so far (reset after a long enough run)
 * @param lastExit the exit code of the last run (128+n after signal n), null before the first exit
 */
public record ServiceStatus(
    String name,
    String state,
    Long pid,
    int restarts,
    boolean ready,
    Integer lastExit,
    String message) {

  static ServiceStatus initial(String name) {
    return new ServiceStatus(name, ServiceState.WAITING.text(), null, 0, false, null, null);
  }

  ServiceStatus with(ServiceState s, Long pid, String message) {
    return new ServiceStatus(name, s.text(), pid, restarts, ready, lastExit, message);
  }

  ServiceStatus ready(boolean r) {
    return new ServiceStatus(name, state, pid, restarts, r, lastExit, message);
  }

  ServiceStatus exited(int code, int restartsNow) {
    return new ServiceStatus(name, state, null, restartsNow, false, code, message);
  }
}
