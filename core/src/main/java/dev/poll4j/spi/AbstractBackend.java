package dev.poll4j.spi;

import java.io.IOException;

/**
 * What every {@link Backend} shares: its name, rank and edge-mode kind, an availability probed
 * once per backend class, and the refusal of {@link #open()} when that probe failed. A backend
 * passes those to the constructor and implements {@link #openSelector()}.
 */
public abstract class AbstractBackend implements Backend {
  private final String name;
  private final int priority;
  private final boolean emulatesEdge;
  // Null when available: the result of the backend's one probe (see bind).
  private final Throwable unavailability;

  /**
   * Creates the shared part of a backend.
   *
   * @param name the backend's name, as used with {@code -Dpoll4j.backend}
   * @param priority its rank when no backend is named (see {@link Backend#priority()})
   * @param emulatesEdge whether edge mode is emulated (see {@link Backend#emulatesEdge()})
   * @param unavailability why it cannot be used here, or null; computed once by the subclass
   */
  protected AbstractBackend(
      String name, int priority, boolean emulatesEdge, Throwable unavailability) {
    this.name = name;
    this.priority = priority;
    this.emulatesEdge = emulatesEdge;
    this.unavailability = unavailability;
  }

  /**
   * Initialises binding classes, which binds every native function they declare: the usual
   * availability probe. Never throws.
   *
   * @param bindings the classes whose static initialisers call {@code Native.register}
   * @return null when all bound, else the first failure (the cause of an initialiser error)
   */
  public static Throwable bind(Class<?>... bindings) {
    try {
      for (Class<?> c : bindings) {
        Class.forName(c.getName(), true, c.getClassLoader());
      }
      return null;
    } catch (Throwable t) {
      return t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
    }
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean isAvailable() {
    return unavailability == null;
  }

  @Override
  public final Throwable unavailabilityCause() {
    return unavailability;
  }

  @Override
  public final int priority() {
    return priority;
  }

  @Override
  public final boolean emulatesEdge() {
    return emulatesEdge;
  }

  @Override
  public final BackendSelector open() throws IOException {
    if (unavailability != null) {
      throw new IllegalStateException("the " + name + " backend is not available", unavailability);
    }
    return openSelector();
  }

  /**
   * Opens a new kernel event queue; only called when the backend is available.
   *
   * @return a new selector
   * @throws IOException if the queue cannot be created
   */
  protected abstract BackendSelector openSelector() throws IOException;
}
