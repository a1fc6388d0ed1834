package dev.poll4j.internal;

import dev.poll4j.BackendStatus;
import dev.poll4j.spi.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the backends on the class path and module path and picks one: the one named by {@value
 * #BACKEND_PROPERTY} if set, else the available backend with the highest priority. Never falls
 * back silently: when the choice fails, the message lists every backend and why each is or is not
 * usable.
 */
public final class BackendLoader {
  /** System property naming the backend to use. */
  public static final String BACKEND_PROPERTY = "poll4j.backend";

  /** Every backend poll4j knows of, with the artifact that provides it. */
  private static final String[][] KNOWN = {
    {"epoll", "dev.poll4j:poll4j-epoll"},
    {"kqueue", "dev.poll4j:poll4j-kqueue"},
    {"iocp", "dev.poll4j:poll4j-iocp"},
    {"poll", "dev.poll4j:poll4j-core"},
  };

  // Loaded once: backends are stateless factories that cache their availability.
  private static final List<Backend> BACKENDS = load();

  private BackendLoader() {}

  private static List<Backend> load() {
    List<Backend> found = new ArrayList<>();
    ServiceLoader<Backend> loader = ServiceLoader.load(Backend.class, Backend.class.getClassLoader());
    for (var it = loader.iterator(); ; ) {
      try {
        if (!it.hasNext()) {
          break;
        }
        Backend b = it.next();
        if (found.stream().noneMatch(x -> x.name().equals(b.name()))) {
          found.add(b);
        }
      } catch (ServiceConfigurationError e) {
        // A provider that cannot even be instantiated is skipped; the listing shows it missing.
      }
    }
    found.sort(Comparator.comparingInt(Backend::priority).reversed());
    return List.copyOf(found);
  }

  /**
   * The backend named by {@value #BACKEND_PROPERTY}, or the best available one.
   *
   * @return an available backend
   * @throws IOException listing every backend when none can be used
   */
  public static Backend choose() throws IOException {
    String requested = System.getProperty(BACKEND_PROPERTY);
    if (requested != null && !requested.isBlank()) {
      return named(requested.trim(), "-D" + BACKEND_PROPERTY + "=" + requested.trim());
    }
    for (Backend b : BACKENDS) {
      if (b.isAvailable()) {
        return b;
      }
    }
    throw new IOException("no poll4j backend is available on " + platform() + "\n" + listing());
  }

  /**
   * The backend with the given name, if it is available.
   *
   * @param name a backend name such as {@code poll}
   * @return the backend
   * @throws IOException listing every backend when that one cannot be used
   */
  public static Backend named(String name) throws IOException {
    return named(name, "requested");
  }

  private static Backend named(String name, String origin) throws IOException {
    for (Backend b : BACKENDS) {
      if (b.name().equals(name)) {
        if (b.isAvailable()) {
          return b;
        }
        throw new IOException(
            "poll4j backend '" + name + "' (" + origin + ") is not available on " + platform()
                + "\n" + listing(), b.unavailabilityCause());
      }
    }
    boolean known = false;
    for (String[] k : KNOWN) {
      known |= k[0].equals(name);
    }
    throw new IOException(
        (known ? "poll4j backend '" + name + "' (" + origin + ") is not installed"
            : "unknown poll4j backend '" + name + "' (" + origin + ")")
            + " on " + platform() + "\n" + listing());
  }

  /**
   * What is known about every backend, installed or not.
   *
   * @return one entry per known or installed backend, installed ones first by priority
   */
  public static List<BackendStatus> statuses() {
    List<BackendStatus> out = new ArrayList<>();
    for (Backend b : BACKENDS) {
      boolean ok = b.isAvailable();
      Throwable cause = b.unavailabilityCause();
      out.add(new BackendStatus(b.name(), true, ok, b.priority(),
          ok ? null : cause == null ? "unknown reason" : describe(cause)));
    }
    for (String[] k : KNOWN) {
      if (BACKENDS.stream().noneMatch(b -> b.name().equals(k[0]))) {
        out.add(new BackendStatus(k[0], false, false, 0,
            "not installed (add " + k[1] + " to the class path or module path)"));
      }
    }
    return out;
  }

  private static String listing() {
    StringBuilder sb = new StringBuilder("poll4j backends:");
    for (BackendStatus s : statuses()) {
      sb.append("\n  ").append(s);
    }
    return sb.toString();
  }

  /**
   * The reason a backend cannot load: every distinct message of the cause chain (a class whose
   * initialisation failed earlier reports only "Could not initialize class"; the original error
   * is further down), plus a hint when JNA could not unpack or map its native library.
   */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    boolean jnaLibrary = false;
    int depth = 0;
    for (Throwable c = t; c != null && depth < 8; c = c.getCause(), depth++) {
      String m = c.getMessage();
      if (m == null || m.isBlank()) {
        m = c.getClass().getName();
      }
      jnaLibrary |= m.contains("jnidispatch") || m.contains("JNA temporary directory")
          || m.contains("failed to map segment");
      if (sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : "; caused by: ").append(m);
      }
    }
    if (jnaLibrary) {
      sb.append(" (JNA unpacks its native library into a temporary directory that must be"
          + " writable and not mounted noexec: set -Djna.tmpdir=DIR, or unpack it in advance and"
          + " pass -Djna.boot.library.path=DIR)");
    }
    return sb.toString();
  }

  private static String platform() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }
}
