package dev.poll4j.benchmarks;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The two echo servers of {@link EchoCpuBenchmark}, written alike so that the difference is the
 * poller: one event-loop thread, level-triggered registrations, one shared 64 KiB direct read
 * buffer. On a readable event a connection reads once and writes back what it read; only if the
 * write is partial does it copy the rest into a buffer of its own and wait for writable instead
 * (with one message in flight per connection, that does not happen in the benchmark, but the
 * servers stay correct if it does).
 */
final class EchoServers {
  /** Size of the shared read buffer. */
  static final int READ_BUFFER = 64 * 1024;
  /** Listen backlog: the load generator connects up to 1,000 times in a row. */
  static final int BACKLOG = 2048;

  private EchoServers() {}

  /** A running echo server. */
  interface Server extends AutoCloseable {
    /**
     * Where it listens.
     *
     * @return the loopback address and port
     */
    InetSocketAddress address();

    /**
     * The event-loop thread's id, for {@link java.lang.management.ThreadMXBean}.
     *
     * @return the id
     */
    long threadId();

    @Override
    void close() throws IOException;
  }

  /**
   * Starts a server.
   *
   * @param impl {@code jdkNio}, or a poll4j backend name
   * @return the running server
   * @throws IOException if it cannot listen
   */
  static Server start(String impl) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    return impl.equals("jdkNio") ? new Nio(any) : new Poll4j(impl, any);
  }

  // Runs a loop on a new thread; its failure is kept and rethrown by close().
  abstract static class Loop implements Server, Runnable {
    final Thread thread = new Thread(this, "echo-server");
    volatile boolean running = true;
    volatile Throwable failure;

    void startThread() {
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public long threadId() {
      return thread.getId();
    }

    @Override
    public final void run() {
      try {
        loop();
      } catch (Throwable t) {
        failure = t;
      }
    }

    abstract void loop() throws IOException;

    abstract void wake();

    abstract void release() throws IOException;

    @Override
    public void close() throws IOException {
      running = false;
      wake();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release();
      if (failure != null) {
        throw new IOException("echo server failed", failure);
      }
    }
  }

  /** The NIO server: {@link Selector#select(java.util.function.Consumer)}. */
  static final class Nio extends Loop {
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final List<SocketChannel> accepted = new ArrayList<>();

    Nio(InetSocketAddress address) throws IOException {
      selector = Selector.open();
      listener = ServerSocketChannel.open();
      listener.bind(address, BACKLOG);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
      startThread();
    }

    @Override
    public InetSocketAddress address() {
      try {
        return (InetSocketAddress) listener.getLocalAddress();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    void loop() throws IOException {
      while (running) {
        selector.select(this::onKey);
      }
    }

    private void onKey(SelectionKey key) {
      try {
        if (key.isAcceptable()) {
          for (SocketChannel ch; (ch = listener.accept()) != null; ) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ);
            accepted.add(ch);
          }
          return;
        }
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer pending = (ByteBuffer) key.attachment();
        if (pending != null && pending.position() > 0) {
          if (key.isWritable()) {
            pending.flip();
            ch.write(pending);
            pending.compact();
            if (pending.position() == 0) {
              key.interestOps(SelectionKey.OP_READ);
            }
          }
          return;
        }
        if (key.isReadable()) {
          ByteBuffer b = buffer;
          b.clear();
          int n = ch.read(b);
          if (n < 0) {
            key.cancel();
            ch.close();
            return;
          }
          if (n == 0) {
            return; // spurious
          }
          b.flip();
          ch.write(b);
          if (b.hasRemaining()) {
            if (pending == null) {
              pending = ByteBuffer.allocateDirect(READ_BUFFER);
              key.attach(pending);
            }
            pending.put(b);
            key.interestOps(SelectionKey.OP_WRITE);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    void wake() {
      selector.wakeup();
    }

    @Override
    void release() throws IOException {
      for (SocketChannel ch : accepted) {
        ch.close();
      }
      listener.close();
      selector.close();
    }
  }

  /** The poll4j server: {@link Poll#poll} and tokens that index an array of connections. */
  static final class Poll4j extends Loop {
    private static final long LISTENER = 0;
    private static final long WAKER = 1;
    // Connection i has token i + FIRST.
    private static final long FIRST = 2;

    private final Poll poll;
    private final TcpListener listener;
    private final Waker waker;
    private final Events events = Events.withCapacity(1024);
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final List<TcpStream> streams = new ArrayList<>();
    // Per connection, allocated on the first partial write; non-empty while waiting for writable.
    private final List<ByteBuffer> pending = new ArrayList<>();

    Poll4j(String backend, InetSocketAddress address) throws IOException {
      poll = Poll.open(backend);
      listener = TcpListener.bind(address, BACKLOG);
      poll.registry().register(listener, LISTENER, Interest.READABLE, Mode.LEVEL);
      waker = Waker.create(poll.registry(), WAKER);
      startThread();
    }

    @Override
    public InetSocketAddress address() {
      try {
        return listener.localAddress();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    void loop() throws IOException {
      while (running) {
        int n = poll.poll(events, null);
        for (int i = 0; i < n; i++) {
          Event e = events.get(i);
          long token = e.token();
          if (token == LISTENER) {
            accept();
          } else if (token != WAKER) {
            ready((int) (token - FIRST), e);
          }
        }
      }
    }

    private void accept() throws IOException {
      for (TcpStream s; (s = listener.accept()) != null; ) {
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        poll.registry().register(s, FIRST + streams.size(), Interest.READABLE, Mode.LEVEL);
        streams.add(s);
        pending.add(null);
      }
    }

    private void ready(int i, Event e) throws IOException {
      TcpStream s = streams.get(i);
      ByteBuffer p = pending.get(i);
      if (p != null && p.position() > 0) {
        if (e.isWritable() || e.isError()) {
          p.flip();
          s.write(p);
          p.compact();
          if (p.position() == 0) {
            poll.registry().reregister(s, FIRST + i, Interest.READABLE, Mode.LEVEL);
          }
        }
        return;
      }
      ByteBuffer b = buffer;
      b.clear();
      int n = s.read(b);
      if (n < 0) {
        poll.registry().deregister(s);
        s.close();
        return;
      }
      if (n == 0) {
        return; // spurious
      }
      b.flip();
      s.write(b);
      if (b.hasRemaining()) {
        if (p == null) {
          p = ByteBuffer.allocateDirect(READ_BUFFER);
          pending.set(i, p);
        }
        p.put(b);
        poll.registry().reregister(s, FIRST + i, Interest.WRITABLE, Mode.LEVEL);
      }
    }

    @Override
    void wake() {
      waker.wake();
    }

    @Override
    void release() throws IOException {
      for (TcpStream s : streams) {
        if (s.isOpen()) {
          s.close();
        }
      }
      waker.close();
      listener.close();
      poll.close();
    }
  }
}
