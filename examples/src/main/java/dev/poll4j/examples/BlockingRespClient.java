package dev.poll4j.examples;

import dev.poll4j.Events;
import dev.poll4j.Poll;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A blocking RESP client: a {@link RespClient} with a {@link Poll} of its own, driven inside each
 * call, for code that wants to send a command and wait for its reply. Every wait is bounded by
 * the timeout given at connect.
 *
 * <pre>{@code
 * try (BlockingRespClient redis = BlockingRespClient.connect(null, address, Duration.ofSeconds(5))) {
 *   redis.call("SET", "counter", "41");
 *   RespValue v = redis.call("INCR", "counter");                  // Int[value=42]
 *   List<RespValue> all = redis.pipeline(List.of(                  // one round trip for both
 *       new String[] {"GET", "counter"}, new String[] {"PING"}));
 * }
 * }</pre>
 *
 * <p>Error replies are returned as {@link RespValue.SimpleError}s, not thrown: the connection
 * is fine after them. Timeouts, I/O and protocol errors throw, and leave the connection broken.
 * Not thread-safe.
 *
 * <pre>
 * usage: BlockingRespClient [--backend NAME] [--host ADDRESS] [--port N] COMMAND [ARG...]
 * </pre>
 */
public final class BlockingRespClient implements Closeable {
  /** The client's token in its own {@code Poll}. */
  private static final long TOKEN = 1;

  private final Poll poll;
  private final RespClient client;
  private final Duration timeout;
  private final Events events = Events.withCapacity(8);
  // Why an earlier call failed; the connection is out of step after it.
  private Exception broken;

  private BlockingRespClient(Poll poll, RespClient client, Duration timeout) {
    this.poll = poll;
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * Connects to a server and waits until the connection is established.
   *
   * @param backend the backend of the client's {@code Poll}, or null for {@link Poll#open()}
   * @param server the server's address
   * @param timeout the longest wait of any call, this one included
   * @return the connected client
   * @throws java.net.ConnectException if the server refused
   * @throws SocketTimeoutException if the connection was not established in time
   * @throws IOException if the backend cannot be used or the connect fails otherwise
   */
  public static BlockingRespClient connect(String backend, InetSocketAddress server,
      Duration timeout) throws IOException {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout <= 0: " + timeout);
    }
    Poll poll = backend == null ? Poll.open() : Poll.open(backend);
    RespClient client = null;
    try {
      client = RespClient.connect(server);
      client.register(poll.registry(), TOKEN);
      BlockingRespClient b = new BlockingRespClient(poll, client, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      client.handle(); // a connect to loopback may be done already
      while (!client.isConnected()) {
        b.pollOnce(deadline, "connecting to " + server);
      }
      return b;
    } catch (IOException | RuntimeException e) {
      TcpServer.closeQuietly(client, e);
      TcpServer.closeQuietly(poll, e);
      throw e;
    }
  }

  /**
   * Sends one command and waits for its reply.
   *
   * @param args the command and its arguments, such as {@code "GET", "key"}
   * @return the reply; an error reply is returned, not thrown
   * @throws SocketTimeoutException if the reply did not come in time
   * @throws IOException if the connection failed or the reply is not RESP
   */
  public RespValue call(String... args) throws IOException {
    return pipeline(Collections.singletonList(args)).get(0);
  }

  /**
   * Sends one command of binary arguments and waits for its reply.
   *
   * @param args the command and its arguments, as bytes
   * @return the reply; an error reply is returned, not thrown
   * @throws SocketTimeoutException if the reply did not come in time
   * @throws IOException if the connection failed or the reply is not RESP
   */
  public RespValue call(List<byte[]> args) throws IOException {
    return exchange(List.of(args)).get(0);
  }

  /**
   * Sends several commands at once and waits for all their replies: one round trip instead of
   * one per command.
   *
   * @param commands the commands, each as its name and arguments
   * @return the replies, in the order of the commands
   * @throws SocketTimeoutException if the replies did not all come in time
   * @throws IOException if the connection failed or a reply is not RESP
   */
  public List<RespValue> pipeline(List<String[]> commands) throws IOException {
    List<List<byte[]>> binary = new ArrayList<>(commands.size());
    for (String[] c : commands) {
      List<byte[]> args = new ArrayList<>(c.length);
      for (String a : c) {
        args.add(a.getBytes(StandardCharsets.UTF_8));
      }
      binary.add(args);
    }
    return exchange(binary);
  }

  // Sends the commands, waits for their replies; a failure leaves the connection broken.
  private List<RespValue> exchange(List<List<byte[]>> commands) throws IOException {
    if (broken != null) {
      throw new IOException("the connection is broken: " + broken.getMessage(), broken);
    }
    try {
      return sendAndWait(commands);
    } catch (IOException | RuntimeException e) {
      broken = e; // replies may still come for these commands: the next call would get them
      throw e;
    }
  }

  private List<RespValue> sendAndWait(List<List<byte[]>> commands) throws IOException {
    for (List<byte[]> c : commands) {
      client.send(c);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<RespValue> replies = new ArrayList<>(commands.size());
    while (replies.size() < commands.size()) {
      for (RespValue v; replies.size() < commands.size() && (v = client.nextReply()) != null; ) {
        replies.add(v);
      }
      if (replies.size() < commands.size()) {
        pollOnce(deadline, "waiting for " + (commands.size() - replies.size()) + " of "
            + commands.size() + " replies");
      }
    }
    return replies;
  }

  /**
   * The non-blocking client inside, for its stream's addresses.
   *
   * @return the client
   */
  public RespClient client() {
    return client;
  }

  /**
   * Closes the connection and the {@code Poll}. Idempotent.
   *
   * @throws IOException if closing fails
   */
  @Override
  public void close() throws IOException {
    try {
      client.close();
    } finally {
      poll.close();
    }
  }

  // One poll, then the client's I/O; throws once the deadline has passed.
  private void pollOnce(long deadline, String what) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException(what + ": no answer within " + timeout.toMillis() + " ms");
    }
    poll.poll(events, Duration.ofNanos(left));
    if (!events.isEmpty()) { // the only registration is the client's
      client.handle();
    }
  }

  /**
   * Sends one command to a server and prints the reply, like a very small {@code redis-cli}.
   *
   * @param args {@code [--backend NAME] [--host ADDRESS] [--port N] COMMAND [ARG...]}
   * @throws Exception if the command fails
   */
  public static void main(String[] args) throws Exception {
    int first = 0; // the index of the command: options come before it
    while (first + 1 < args.length && args[first].startsWith("--")) {
      first += 2;
    }
    Args a = new Args("BlockingRespClient", Arrays.copyOf(args, Math.min(first, args.length)));
    if (a.help() || first >= args.length) {
      System.out.println(USAGE);
      return;
    }
    String backend;
    String host;
    int port;
    try {
      backend = a.option("--backend", null);
      host = a.option("--host", "127.0.0.1");
      port = a.intOption("--port", 6379, 1, 65535);
      a.done();
    } catch (Args.UsageError e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String[] command = Arrays.copyOfRange(args, first, args.length);
    PrintStream out = System.out;
    try (BlockingRespClient c =
        connect(backend, new InetSocketAddress(host, port), Duration.ofSeconds(5))) {
      out.println(format(c.call(command), ""));
    }
  }

  /** A reply as redis-cli shows it, roughly. */
  static String format(RespValue v, String indent) {
    if (v instanceof RespValue.SimpleString s) {
      return s.value();
    } else if (v instanceof RespValue.SimpleError e) {
      return "(error) " + e.message();
    } else if (v instanceof RespValue.Int i) {
      return "(integer) " + i.value();
    } else if (v instanceof RespValue.BulkString b) {
      return b.isNull() ? "(nil)" : "\"" + b.utf8() + "\"";
    }
    RespValue.Array a = (RespValue.Array) v;
    if (a.isNull()) {
      return "(nil)";
    }
    if (a.elements().isEmpty()) {
      return "(empty array)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.elements().size(); i++) {
      String label = (i + 1) + ") ";
      sb.append(i == 0 ? "" : "\n" + indent).append(label)
          .append(format(a.elements().get(i), indent + " ".repeat(label.length())));
    }
    return sb.toString();
  }

  private static final String USAGE = String.join("\n",
      "usage: BlockingRespClient [--backend NAME] [--host ADDRESS] [--port N] COMMAND [ARG...]",
      "",
      "Sends one command to a RESP server (Redis, Valkey) and prints the reply.",
      "",
      "  --backend NAME  epoll, poll, ...; default: -D" + Poll.BACKEND_PROPERTY
          + ", else the best available",
      "  --host ADDRESS  the server's address (default 127.0.0.1)",
      "  --port N        the server's port (default 6379)");
}
