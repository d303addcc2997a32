package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rig sends to stop a VM, against a server on a unix socket that answers as the hypervisor
 * would: QMP's greeting and capabilities negotiation before the command; Firecracker's and
 * cloud-hypervisor's HTTP requests, with a refusal reported.
 */
class ControlSocketTest {
  @TempDir Path temp;

  /** Serves one connection: sends each reply after reading up to its trigger; returns all read. */
  private CompletableFuture<String> serve(Path socket, List<String[]> script) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream read = new ByteArrayOutputStream();
          try (server;
              SocketChannel client = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            for (String[] step : script) {
              while (!read.toString(StandardCharsets.UTF_8).contains(step[0])) {
                buffer.clear();
                if (client.read(buffer) < 0) {
                  return read.toString(StandardCharsets.UTF_8);
                }
                read.write(buffer.array(), 0, buffer.position());
              }
              client.write(ByteBuffer.wrap(step[1].getBytes(StandardCharsets.UTF_8)));
            }
            return read.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "server failed: " + e;
          }
        });
  }

  @Test
  void qmpNegotiatesCapabilitiesThenAsksForThePowerButton() throws Exception {
    Path socket = temp.resolve("qmp.sock");
    CompletableFuture<String> seen =
        serve(
            socket,
            List.<String[]>of(
                new String[] {"", "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n"},
                new String[] {"qmp_capabilities", "{\"return\": {}}\r\n"},
                new String[] {"system_powerdown", "{\"return\": {}}\r\n"}));
    new ControlSocket(Hypervisor.QEMU, socket).powerOff();
    assertEquals(
        "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"system_powerdown\"}\n",
        seen.get(5, TimeUnit.SECONDS));
  }

  @Test
  void firecrackerGetsCtrlAltDelOverItsApi() throws Exception {
    Path socket = temp.resolve("fc.sock");
    CompletableFuture<String> seen =
        serve(socket, List.<String[]>of(new String[] {"}", "HTTP/1.1 204 No Content\r\n\r\n"}));
    new ControlSocket(Hypervisor.FIRECRACKER, socket).powerOff();
    String request = seen.get(5, TimeUnit.SECONDS);
    assertTrue(request.startsWith("PUT /actions HTTP/1.1\r\n"), request);
    assertTrue(request.endsWith("\r\n\r\n{\"action_type\":\"SendCtrlAltDel\"}"), request);
  }

  @Test
  void cloudHypervisorRefusalIsReported() throws Exception {
    Path socket = temp.resolve("ch.sock");
    serve(
        socket,
        List.<String[]>of(new String[] {"\r\n\r\n", "HTTP/1.1 500 Internal Server Error\r\n\r\n"}));
    IOException e =
        assertThrows(
            IOException.class, () -> new ControlSocket(Hypervisor.CLOUD_HYPERVISOR, socket).kill());
    assertTrue(
        e.getMessage()
            .equals(
                "cloud-hypervisor refused PUT /api/v1/vmm.shutdown: HTTP/1.1 500 Internal Server Error"),
        e.getMessage());
  }

  @Test
  void noSocketSaysWhichOne() {
    Path socket = temp.resolve("gone.sock");
    IOException e =
        assertThrows(
            IOException.class, () -> new ControlSocket(Hypervisor.QEMU, socket).powerOff());
    assertTrue(
        e.getMessage().startsWith("cannot reach QEMU's control socket " + socket), e.getMessage());
  }
}
