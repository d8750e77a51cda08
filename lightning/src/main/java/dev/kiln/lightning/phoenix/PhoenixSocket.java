package dev.kiln.lightning.phoenix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Phoenix channels client (phoenix.js 1.7 semantics, serializer V2) on the JDK's {@link
 * WebSocket}: connect with query params, heartbeat, reconnect with backoff, channels that rejoin
 * after a reconnect.
 *
 * <p>Threading: all state lives on one event-loop thread (a scheduled executor: timers are tasks,
 * nothing sleeps); public methods hand work to it and are safe from any thread. Futures,
 * channel handlers and {@link ConnectionListener}s run on a second, single dispatch thread, in
 * order: keep them short and never block there on another reply.
 *
 * <p>Memory: messages go out one at a time; a large payload is written straight into the socket as
 * partial text frames ({@link PartialTextSender}) on a thread of its own while the next message
 * waits. A binary reply over {@link SocketOptions#SPILL_THRESHOLD_BYTES} is written to a file in
 * {@link SocketOptions#spillDir()} as its partial frames arrive ({@link Reply#bodyFile()}).
 */
public final class PhoenixSocket implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PhoenixSocket.class.getName());
  private static final AtomicInteger SOCKETS = new AtomicInteger();
  static final String PHOENIX_TOPIC = "phoenix";

  private final URI uri;
  private final SocketOptions options;
  private final HttpClient http;
  final ScheduledExecutorService loop;
  final ExecutorService dispatch;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

  // event-loop state
  private final Map<String, PhoenixChannel> channels = new HashMap<>();
  /** Text frames ({@code String}) and streamed ones ({@link PartialTextSender.Message}), in order. */
  private final ArrayDeque<Object> outbound = new ArrayDeque<>();
  private WebSocket ws;
  private int generation;
  private boolean sending;
  private boolean started;
  private boolean closed;
  private int reconnectTries;
  private long refCounter;
  private String pendingHeartbeatRef;
  private ScheduledFuture<?> heartbeatTask;
  private ScheduledFuture<?> reconnectTask;
  private volatile boolean connected;

  public PhoenixSocket(URI endpoint, SocketOptions options) {
    this.uri = socketUri(endpoint, options.params());
    this.options = options;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int n = SOCKETS.incrementAndGet();
    this.loop = Executors.newSingleThreadScheduledExecutor(daemon("phoenix-socket-" + n));
    this.dispatch = Executors.newSingleThreadExecutor(daemon("phoenix-dispatch-" + n));
  }

  /**
   * {@code <endpoint>/websocket?<params>&vsn=2.0.0}, values encoded as {@code
   * encodeURIComponent} (phoenix.js {@code endPointURL()}).
   */
  public static URI socketUri(URI endpoint, Map<String, String> params) {
    String base = endpoint.toString();
    StringBuilder url = new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    url.append("/websocket?");
    params.forEach((k, v) -> url.append(UriComponent.encode(k)).append('=').append(UriComponent.encode(v)).append('&'));
    url.append("vsn=2.0.0");
    return URI.create(url.toString());
  }

  public URI uri() {
    return uri;
  }

  public SocketOptions options() {
    return options;
  }

  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** Opens the socket; reconnects by itself from then on until {@link #close()}. */
  public void connect() {
    loop.execute(() -> {
      if (!started && !closed) {
        started = true;
        open();
      }
    });
  }

  public boolean isConnected() {
    return connected;
  }

  /**
   * A channel on {@code topic}; {@code params} (any Jackson-writable value) is its join payload,
   * sent again on every rejoin. One channel per topic: a closed channel's topic may be reused.
   */
  public PhoenixChannel channel(String topic, Object params) {
    PhoenixChannel channel = new PhoenixChannel(this, topic, params);
    onLoop(() -> {
      PhoenixChannel existing = channels.get(topic);
      if (existing != null && existing.state() != ChannelState.CLOSED) {
        existing.abandon("replaced by a new channel on " + topic);
      }
      channels.put(topic, channel);
    });
    return channel;
  }

  /** Disconnects (close code 1000) without reconnecting; pending pushes end DISCONNECTED. */
  @Override
  public void close() {
    var done = new java.util.concurrent.CompletableFuture<Void>();
    try {
      loop.execute(() -> {
        closed = true;
        cancel(reconnectTask);
        cancel(heartbeatTask);
        for (PhoenixChannel channel : List.copyOf(channels.values())) {
          channel.abandon("socket closed");
        }
        channels.clear();
        WebSocket socket = ws;
        ws = null;
        boolean wasConnected = connected;
        connected = false;
        if (wasConnected) {
          notifyListeners(false, "closed by the client");
        }
        if (socket == null) {
          done.complete(null);
        } else {
          socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
              .orTimeout(1, TimeUnit.SECONDS)
              .whenComplete((w, e) -> {
                socket.abort();
                done.complete(null);
              });
        }
      });
      done.get(2, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
      return;
    } catch (Exception e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the socket: {0}", e.toString());
    }
    loop.shutdown();
    dispatch.shutdown();
    http.shutdownNow(); // its selector thread
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
      dispatch.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- event loop (package-private)

  void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "socket closed; dropped a task");
    }
  }

  void onDispatch(Runnable task) {
    try {
      dispatch.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "a socket callback failed", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "socket closed; dropped a callback");
    }
  }

  ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    return loop.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  String makeRef() {
    return Long.toString(++refCounter);
  }

  boolean connectedOnLoop() {
    return ws != null;
  }

  void send(String text) {
    enqueue(text);
  }

  /** A message written into the socket piece by piece when its turn comes (a large payload). */
  void sendStreamed(PartialTextSender.Message message) {
    enqueue(message);
  }

  private void enqueue(Object message) {
    if (ws == null) {
      return;
    }
    outbound.add(message);
    drain();
  }

  void removeChannel(PhoenixChannel channel) {
    channels.remove(channel.topic(), channel);
  }

  // ---------------------------------------------------------------- connection lifecycle

  private void open() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    http.newWebSocketBuilder()
        .buildAsync(uri, new Listener(gen))
        .whenComplete((socket, error) -> {
          if (error != null) {
            onLoop(() -> connectionLost(gen, "could not connect to " + redacted() + ": " + rootMessage(error)));
          }
        });
  }

  private void opened(int gen, WebSocket socket) {
    if (gen != generation || closed) {
      socket.abort();
      return;
    }
    ws = socket;
    connected = true;
    reconnectTries = 0;
    pendingHeartbeatRef = null;
    sending = false;
    outbound.clear();
    long interval = options.heartbeatInterval().toMillis();
    heartbeatTask = loop.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    LOG.log(System.Logger.Level.DEBUG, "connected to {0}", redacted());
    notifyListeners(true, null);
    for (PhoenixChannel channel : List.copyOf(channels.values())) {
      channel.socketOpened();
    }
  }

  private void connectionLost(int gen, String reason) {
    if (gen != generation) {
      return;
    }
    generation++; // late callbacks of this connection are ignored from now on
    cancel(heartbeatTask);
    WebSocket socket = ws;
    ws = null;
    outbound.clear();
    sending = false;
    pendingHeartbeatRef = null;
    if (socket != null) {
      socket.abort();
    }
    boolean wasConnected = connected;
    connected = false;
    for (PhoenixChannel channel : List.copyOf(channels.values())) {
      channel.socketClosed();
    }
    if (wasConnected) {
      LOG.log(System.Logger.Level.INFO, "connection to {0} lost: {1}", redacted(), reason);
    } else {
      LOG.log(System.Logger.Level.WARNING, reason);
    }
    notifyListeners(false, reason);
    if (!closed) {
      reconnectTries++;
      reconnectTask = schedule(options.reconnectDelay().apply(reconnectTries), this::open);
    }
  }

  private void heartbeat() {
    if (ws == null) {
      return;
    }
    if (pendingHeartbeatRef != null && options.heartbeatReplyRequired()) {
      WebSocket socket = ws;
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "heartbeat timeout");
      connectionLost(generation, "heartbeat timeout");
      return;
    }
    pendingHeartbeatRef = makeRef();
    send(FrameCodec.encode(null, pendingHeartbeatRef, PHOENIX_TOPIC, "heartbeat", null));
  }

  private void drain() {
    if (sending || ws == null || outbound.isEmpty()) {
      return;
    }
    sending = true;
    int gen = generation;
    Object next = outbound.poll();
    CompletableFuture<?> sent = next instanceof String text
        ? ws.sendText(text, true)
        : PartialTextSender.send(ws, (PartialTextSender.Message) next);
    sent.whenComplete((w, error) -> onLoop(() -> {
      if (gen != generation) {
        return;
      }
      sending = false;
      if (error != null) {
        connectionLost(gen, "send failed: " + rootMessage(error));
      } else {
        drain();
      }
    }));
  }

  private void received(int gen, Frame frame) {
    if (gen != generation) {
      frame.discardBody();
      return;
    }
    if (PHOENIX_TOPIC.equals(frame.topic())) {
      if (frame.ref() != null && frame.ref().equals(pendingHeartbeatRef)) {
        pendingHeartbeatRef = null;
      }
      frame.discardBody();
      return;
    }
    PhoenixChannel channel = channels.get(frame.topic());
    if (channel == null) {
      LOG.log(System.Logger.Level.DEBUG, "dropped a frame for an unknown topic: {0}", frame);
      frame.discardBody();
      return;
    }
    channel.received(frame);
  }

  private void notifyListeners(boolean up, String reason) {
    for (ConnectionListener listener : listeners) {
      onDispatch(() -> {
        if (up) {
          listener.connected();
        } else {
          listener.disconnected(reason);
        }
      });
    }
  }

  private String redacted() {
    String text = uri.toString();
    return text.replaceAll("token=[^&]*", "token=…");
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", file, e);
      }
    }
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Receives one connection's messages and hands them to the loop, one at a time. */
  private final class Listener implements WebSocket.Listener {
    private final int gen;
    private final IncomingText text = new IncomingText();
    private final IncomingBinary binary = new IncomingBinary();

    Listener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      onLoop(() -> {
        opened(gen, webSocket);
        webSocket.request(1);
      });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      return receive(webSocket, text, data, data.length(), last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      return receive(webSocket, binary, data, data.remaining(), last);
    }

    /**
     * One part of a text or binary message: past {@code maxFrameBytes} or when its file cannot be
     * written the connection is lost; at the last part the message goes to the loop, which decodes
     * and delivers it before it asks for the next one.
     */
    private <P> CompletionStage<?> receive(WebSocket webSocket, Incoming<P> message, P part, long length, boolean last) {
      message.size += length;
      try {
        if (message.size > options.maxFrameBytes()) {
          message.discard();
          onLoop(() -> connectionLost(gen, "a message exceeded " + options.maxFrameBytes() + " bytes"));
          return null;
        }
        message.append(part);
        if (!last) {
          webSocket.request(1);
          return null;
        }
        Runnable deliver = message.complete();
        onLoop(() -> {
          deliver.run();
          webSocket.request(1);
        });
      } catch (IOException e) {
        message.discard();
        onLoop(() -> connectionLost(gen, "cannot write a large message to " + options.spillDir() + ": " + e));
      }
      return null;
    }

    /**
     * A message arriving in parts: kept in memory until it passes the spill threshold, then (all or
     * its body) written to a new file in the spill folder as the rest arrives.
     */
    private abstract static class Incoming<P> {
      long size;
      /** The file the message (or its body) is going to, or null. */
      Path file;
      java.io.Closeable out;

      abstract void append(P part) throws IOException;

      /** Ends the message (its file closed) and resets for the next; returns its decoding and delivery. */
      abstract Runnable complete() throws IOException;

      /** Closes the file, if any; returns it. */
      Path closeFile() throws IOException {
        Path written = file;
        if (out != null) {
          java.io.Closeable closing = out;
          out = null;
          file = null;
          closing.close();
        }
        size = 0;
        return written;
      }

      void discard() {
        Path written = file;
        try {
          closeFile();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "could not close {0}: {1}", written, e);
        }
        deleteQuietly(written);
      }
    }

    /** A text message: all of it goes to a file past the threshold. */
    private final class IncomingText extends Incoming<CharSequence> {
      private final StringBuilder text = new StringBuilder();
      private java.io.Writer writer;

      @Override
      void append(CharSequence data) throws IOException {
        if (writer != null) {
          writer.append(data);
          return;
        }
        text.append(data);
        if (options.spillDir() != null && text.length() > SocketOptions.SPILL_THRESHOLD_BYTES) {
          Files.createDirectories(options.spillDir());
          file = Files.createTempFile(options.spillDir(), "message-", ".json");
          writer = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8);
          out = writer;
          writer.append(text);
          text.setLength(0);
        }
      }

      @Override
      Runnable complete() throws IOException {
        String message = file == null ? text.toString() : null;
        writer = null;
        Path written = closeFile();
        text.setLength(0);
        return () -> {
          Frame frame = null;
          try {
            frame = message != null ? FrameCodec.decodeText(message) : SpilledTextFrame.decode(written, options.spillDir());
          } catch (FrameException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed frame: {0}", e.getMessage());
          } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a large frame that could not be read back: {0}", e.toString());
          } finally {
            deleteQuietly(written); // before the reply is handed on: its body, if any, is a file of its own
          }
          if (frame != null) {
            received(gen, frame);
          }
        };
      }

      @Override
      void discard() {
        writer = null;
        text.setLength(0);
        super.discard();
      }
    }

    /** A binary message: past the threshold a reply's body (all after its header) goes to a file. */
    private final class IncomingBinary extends Incoming<ByteBuffer> {
      private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      private OutputStream stream;

      @Override
      void append(ByteBuffer data) throws IOException {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        if (stream != null) {
          stream.write(chunk);
          return;
        }
        bytes.writeBytes(chunk);
        if (options.spillDir() == null || bytes.size() <= SocketOptions.SPILL_THRESHOLD_BYTES) {
          return;
        }
        byte[] prefix = bytes.toByteArray();
        int header = FrameCodec.replyHeaderLength(prefix, prefix.length);
        if (header < 0) {
          return; // not a reply: pushes and broadcasts stay in memory
        }
        Files.createDirectories(options.spillDir());
        file = Files.createTempFile(options.spillDir(), "reply-", ".body");
        stream = Files.newOutputStream(file);
        out = stream;
        stream.write(prefix, header, prefix.length - header);
        bytes.reset();
        bytes.write(prefix, 0, header);
      }

      @Override
      Runnable complete() throws IOException {
        byte[] message = bytes.toByteArray();
        stream = null;
        Path bodyFile = closeFile();
        bytes.reset();
        return () -> {
          try {
            Frame frame = FrameCodec.decodeBinary(ByteBuffer.wrap(message));
            received(gen, bodyFile == null ? frame : new Frame(frame.joinRef(), frame.ref(), frame.topic(),
                frame.event(), frame.payload(), null, bodyFile));
          } catch (FrameException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed binary frame: {0}", e.getMessage());
          }
        };
      }

      @Override
      void discard() {
        stream = null;
        bytes.reset();
        super.discard();
      }
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      onLoop(() -> connectionLost(gen, "closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      onLoop(() -> connectionLost(gen, "connection error: " + rootMessage(error)));
    }
  }
}
