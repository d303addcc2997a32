package dev.rig.build.vm.run;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How rig asks a running hypervisor to stop, over the control socket it gave it: QEMU's QMP ({@code
 * system_powerdown}, the ACPI power button, then {@code quit}); Firecracker's and
 * cloud-hypervisor's HTTP APIs (Ctrl-Alt-Del, the power button; then shutting the VMM down).
 */
record ControlSocket(Hypervisor hypervisor, Path socket) {

  /** Asks the guest to power off cleanly. */
  void powerOff() throws IOException {
    switch (hypervisor) {
      case QEMU -> qmp("system_powerdown");
      case FIRECRACKER -> http("PUT", "/actions", "{\"action_type\":\"SendCtrlAltDel\"}");
      case CLOUD_HYPERVISOR -> http("PUT", "/api/v1/vm.power-button", "");
    }
  }

  /** Ends the VM now (the guest did not power off in time). */
  void kill() throws IOException {
    switch (hypervisor) {
      case QEMU -> qmp("quit");
      case CLOUD_HYPERVISOR -> http("PUT", "/api/v1/vmm.shutdown", "");
      case FIRECRACKER -> throw new IOException("Firecracker has no quit request; end the process");
    }
  }

  private void qmp(String command) throws IOException {
    try (SocketChannel channel = connect()) {
      // QMP greets, then accepts commands only after capabilities are negotiated.
      readLine(channel);
      send(channel, "{\"execute\":\"qmp_capabilities\"}\n");
      readLine(channel);
      send(channel, "{\"execute\":\"" + command + "\"}\n");
      readLine(channel);
    }
  }

  private void http(String method, String path, String body) throws IOException {
    try (SocketChannel channel = connect()) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      send(
          channel,
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + bytes.length
              + "\r\n\r\n"
              + body);
      String status = readLine(channel);
      if (!status.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
        throw new IOException(
            hypervisor.label() + " refused " + method + " " + path + ": " + status);
      }
    }
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw new IOException(
          "cannot reach "
              + hypervisor.label()
              + "'s control socket "
              + socket
              + ": "
              + e.getMessage(),
          e);
    }
    return channel;
  }

  private static void send(SocketChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** One line (without its end); a QMP reply or an HTTP status line is short. */
  private static String readLine(SocketChannel channel) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (line.length() < 65536) {
      one.clear();
      if (channel.read(one) < 0) {
        break;
      }
      char c = (char) (one.get(0) & 0xff);
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.append(c);
      }
    }
    return line.toString();
  }
}
