package dev.poll4j.examples;

import dev.poll4j.Interest;
import dev.poll4j.Registry;
import dev.poll4j.net.TcpStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A non-blocking client of a RESP server (Redis, Valkey, and their kin), to be driven by a poll4j
 * event loop that the caller runs: {@link #send} queues commands, {@link #handle()} does the I/O
 * when the client's token comes up, and {@link #nextReply()} hands out the replies, in the order
 * of the commands. Any number of commands may be in flight: that is pipelining.
 *
 * <pre>{@code
 * RespClient redis = RespClient.connect(new InetSocketAddress("127.0.0.1", 6379));
 * redis.register(poll.registry(), REDIS);        // any token the loop picks
 * redis.send("SET", "greeting", "hello");
 * redis.send("GET", "greeting");                 // sent without waiting for the first reply
 * while (redis.pendingReplies() > 0) {
 *   poll.poll(events, Duration.ofSeconds(1));
 *   for (Event e : events) {
 *     if (e.token() == REDIS) {
 *       redis.handle();                          // connect, write, read: until it would block
 *     }
 *   }
 *   for (RespValue v; (v = redis.nextReply()) != null; ) {
 *     System.out.println(v);                     // +OK, then $5 hello
 *   }
 * }
 * }</pre>
 *
 * <p>Commands go out as RESP arrays of bulk strings, so arguments may hold any bytes. The
 * registration is edge-triggered: {@code handle()} reads until a read would block, and asks for
 * {@link Interest#WRITABLE} only while it is connecting or a write would block. Commands sent
 * before the connection is established wait in the output buffer. {@link BlockingRespClient}
 * wraps this class with a {@code Poll} of its own for code that just wants to call and wait.
 *
 * <p>Not thread-safe: use it from the event-loop thread.
 */
public final class RespClient implements Closeable {
  private static final byte[] CRLF = {'\r', '\n'};

  private final TcpStream stream;
  private final RespParser parser = new RespParser();
  // Encoded commands not yet written, in "read" mode (flipped) between calls.
  private ByteBuffer out = ByteBuffer.allocate(4096).flip();
  // Bytes from the server not yet parsed, in "fill" mode.
  private final ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
  private final ArrayDeque<RespValue> replies = new ArrayDeque<>();
  private Registry registry;
  private long token;
  private boolean connected;
  private Interest interest;
  // Commands sent whose replies have not been parsed yet.
  private int awaiting;
  // Set when the server closed the connection or broke the protocol; every later call fails.
  private IOException broken;

  private RespClient(TcpStream stream) {
    this.stream = stream;
  }

  /**
   * Starts connecting to a server. The connection completes in the background; register the
   * client and call {@link #handle()} on its events.
   *
   * @param server the server's address
   * @return the client, connecting
   * @throws IOException if the socket cannot be created or the connect fails at once
   */
  public static RespClient connect(InetSocketAddress server) throws IOException {
    TcpStream s = TcpStream.connect(server);
    try {
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException | RuntimeException e) {
      TcpServer.closeQuietly(s, e);
      throw e;
    }
    return new RespClient(s);
  }

  /**
   * Registers the client's stream with a {@code Poll}; call once, before {@link #handle()}.
   *
   * @param registry the registry of the loop's {@code Poll}
   * @param token the token its events carry
   * @throws IOException if the kernel refuses the registration
   * @throws IllegalStateException if the client is registered already
   */
  public void register(Registry registry, long token) throws IOException {
    if (this.registry != null) {
      throw new IllegalStateException("registered already, with token " + this.token);
    }
    Interest wanted = connected ? Interest.READABLE : Interest.READABLE.add(Interest.WRITABLE);
    registry.register(stream, token, wanted);
    this.registry = registry;
    this.token = token;
    this.interest = wanted;
  }

  /**
   * Queues a command, and writes it at once if the connection allows.
   *
   * @param args the command and its arguments, such as {@code "SET", "key", "value"}; sent as
   *     UTF-8
   * @throws IOException if the write fails, or the connection is broken
   * @throws IllegalArgumentException if {@code args} is empty
   */
  public void send(String... args) throws IOException {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    send(List.of(bytes));
  }

  /**
   * Queues a command of binary arguments, and writes it at once if the connection allows.
   *
   * @param args the command and its arguments, as bytes
   * @throws IOException if the write fails, or the connection is broken
   * @throws IllegalArgumentException if {@code args} is empty
   */
  public void send(List<byte[]> args) throws IOException {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least its name");
    }
    checkNotBroken();
    encode(args);
    awaiting++;
    if (connected) {
      flush();
    }
  }

  /**
   * Does the I/O the connection is ready for: finishes the connect, writes queued commands,
   * reads and parses replies, each until it would block. Call it for every event with the
   * client's token; calling it at other times is harmless.
   *
   * @throws java.net.ConnectException if the server refused the connection
   * @throws ProtocolException if the server's bytes are not RESP
   * @throws java.io.EOFException if the server closed the connection before it answered every
   *     command (a close after the last reply is not an error: the next call fails instead)
   * @throws IOException if a read or write fails, or the connection is broken
   */
  public void handle() throws IOException {
    checkNotBroken();
    try {
      if (!connected) {
        if (!stream.finishConnect()) {
          return; // still connecting: writable comes when it is done
        }
        connected = true;
      }
      flush();
      read();
    } catch (IOException e) {
      broken = e;
      throw e;
    }
  }

  /**
   * The next reply, in the order the commands were sent.
   *
   * @return the reply, or null if none has arrived yet
   */
  public RespValue nextReply() {
    return replies.pollFirst();
  }

  /**
   * Commands whose replies have not been taken with {@link #nextReply()} yet.
   *
   * @return the count
   */
  public int pendingReplies() {
    return awaiting + replies.size();
  }

  /**
   * Whether the connection is established.
   *
   * @return true once {@link #handle()} saw the connect finish
   */
  public boolean isConnected() {
    return connected;
  }

  /**
   * The stream to the server, for its addresses and options; do not read or write it.
   *
   * @return the stream
   */
  public TcpStream stream() {
    return stream;
  }

  /**
   * Closes the connection, which also ends its registration. Idempotent.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    stream.close();
  }

  private void checkNotBroken() throws IOException {
    if (broken != null) {
      throw new IOException("the connection is broken: " + broken.getMessage(), broken);
    }
  }

  // Appends "*N\r\n" then "$len\r\narg\r\n" per argument to the output buffer.
  private void encode(List<byte[]> args) {
    int size = 16;
    for (byte[] a : args) {
      size += a.length + 16;
    }
    out.compact(); // to "fill" mode
    if (out.remaining() < size) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + size));
      bigger.put(out.flip());
      out = bigger;
    }
    header('*', args.size());
    for (byte[] a : args) {
      header('$', a.length);
      out.put(a).put(CRLF);
    }
    out.flip();
  }

  private void header(char type, int n) {
    out.put((byte) type).put(Integer.toString(n).getBytes(StandardCharsets.US_ASCII)).put(CRLF);
  }

  // Writes until the output is empty or a write would block; asks for writable only then.
  private void flush() throws IOException {
    while (out.hasRemaining()) {
      if (stream.write(out) == 0) {
        interest(Interest.READABLE.add(Interest.WRITABLE));
        return;
      }
    }
    interest(Interest.READABLE);
  }

  // Reads and parses until a read would block.
  private void read() throws IOException {
    for (;;) {
      int n = stream.read(in);
      if (n == 0) {
        return;
      }
      if (n < 0) {
        // Replies parsed before the end are still handed out; later sends fail. It is an error
        // now only if replies were lost with the connection.
        EOFException end = new EOFException("the server closed the connection"
            + (awaiting > 0 ? " with " + awaiting + " replies outstanding" : ""));
        broken = end;
        if (awaiting > 0) {
          throw end;
        }
        return;
      }
      in.flip();
      for (RespValue v; (v = parser.parse(in)) != null; ) {
        if (awaiting == 0) {
          throw new ProtocolException("a reply nobody asked for: " + v);
        }
        awaiting--;
        replies.addLast(v);
      }
      in.clear(); // parse() consumed every byte it was given
    }
  }

  private void interest(Interest wanted) throws IOException {
    if (registry != null && wanted != interest) {
      registry.reregister(stream, token, wanted);
      interest = wanted;
    }
  }

  @Override
  public String toString() {
    return "RespClient[" + stream + ", " + (connected ? "connected" : "connecting") + ", "
        + pendingReplies() + " replies pending]";
  }
}
