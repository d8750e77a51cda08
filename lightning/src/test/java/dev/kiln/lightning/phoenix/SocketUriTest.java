package dev.kiln.lightning.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketUriTest {
  @Test
  void appendsWebsocketParamsInOrderAndVsn() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("token", "a.b-c_d");
    params.put("api_version", "1.2");
    params.put("worker_version", "1.25.0");
    assertThat(PhoenixSocket.socketUri(URI.create("ws://localhost:4000/worker"), params))
        .hasToString("ws://localhost:4000/worker/websocket?token=a.b-c_d&api_version=1.2&worker_version=1.25.0&vsn=2.0.0");
  }

  @Test
  void encodesLikeEncodeUriComponent() {
    assertThat(UriComponent.encode("a b&c=d/é!*'()~")).isEqualTo("a%20b%26c%3Dd%2F%C3%A9!*'()~");
    assertThat(PhoenixSocket.socketUri(URI.create("ws://h/worker/"), Map.of()))
        .hasToString("ws://h/worker/websocket?vsn=2.0.0");
  }
}
