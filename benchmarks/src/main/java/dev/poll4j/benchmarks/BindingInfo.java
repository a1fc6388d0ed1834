package dev.poll4j.benchmarks;

import dev.poll4j.Poll;

/** Prints the native binding poll4j uses in this JVM ({@code ffm} or {@code jna}), for run.sh. */
public final class BindingInfo {
  private BindingInfo() {}

  /**
   * Prints the binding and the JDK's feature version.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println(Poll.nativeBinding() + " (JDK " + Runtime.version().feature() + ")");
  }
}
