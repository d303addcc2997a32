package dev.rig.init.config;

/** A TCP connect check; the host defaults to loopback because services bind inside the box. */
public record TcpCheck(String host, int port) {
  public TcpCheck {
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
  }
}
