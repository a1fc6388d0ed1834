package dev.poll4j.iocp.sys;

/**
 * The one platform check of the bindings: every layout here is the x64 one, so the classes that
 * bind native methods refuse anything but a 64-bit Windows JVM, with a message that says why.
 */
public final class Windows {
  private Windows() {}

  /**
   * Why the IOCP bindings cannot be used on a platform, decided from its names alone.
   *
   * @param osName {@code os.name}
   * @param dataModel {@code sun.arch.data.model}, {@code "64"} on a 64-bit JVM
   * @return the reason, or null on 64-bit Windows
   */
  public static String platformProblem(String osName, String dataModel) {
    if (osName == null || !osName.startsWith("Windows")) {
      return "IOCP needs Windows; os.name is " + osName;
    }
    if (!"64".equals(dataModel)) {
      return "poll4j's IOCP bindings need a 64-bit JVM (the AFD layouts are x64's); this one is "
          + dataModel + "-bit";
    }
    return null;
  }

  /**
   * Throws unless this JVM runs on 64-bit Windows; for the static initialisers of the bindings.
   *
   * @throws ExceptionInInitializerError with {@link #platformProblem}'s message otherwise
   */
  static void require() {
    String problem = platformProblem(
        System.getProperty("os.name"), System.getProperty("sun.arch.data.model", "64"));
    if (problem != null) {
      throw new ExceptionInInitializerError(problem);
    }
  }
}
