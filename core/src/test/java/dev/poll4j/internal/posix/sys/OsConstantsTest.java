package dev.poll4j.internal.posix.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-OS constant tables of the POSIX bindings: the Linux column against the C headers of
 * this host (a probe compiled with {@code cc}), the macOS and BSD columns against values extracted
 * from the {@code rust-lang/libc} crate ({@code libc-bsd-constants.txt}), the Windows column
 * against values extracted from the {@code retep998/winapi-rs} crate's transcription of the
 * Windows SDK ({@code winapi-windows-constants.txt}).
 */
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason =
        "its tables include those of Unistd and sys.Poll, classes that bind the C library's POSIX"
            + " calls as they load; every system's column, Windows' included, is checked on the"
            + " others")
class OsConstantsTest {
  private static final List<OsConstants> TABLES =
      List.of(Errno.TABLE, Socket.TABLE, In.TABLE, Tcp.TABLE, Unistd.TABLE, Fcntl.TABLE,
          Poll.TABLE);
  private static final Os[] BSDS = {Os.MACOS, Os.FREEBSD, Os.OPENBSD, Os.NETBSD};

  @Test
  void osNamesMapToSystems() {
    assertEquals(Os.LINUX, Os.of("Linux"));
    assertEquals(Os.MACOS, Os.of("Mac OS X"));
    assertEquals(Os.MACOS, Os.of("Darwin"));
    assertEquals(Os.FREEBSD, Os.of("FreeBSD"));
    assertEquals(Os.OPENBSD, Os.of("OpenBSD"));
    assertEquals(Os.NETBSD, Os.of("NetBSD"));
    assertEquals(Os.WINDOWS, Os.of("Windows 11"));
    assertEquals(Os.WINDOWS, Os.of("Windows Server 2022"));
    assertNull(Os.of("SunOS"));
    assertFalse(Os.LINUX.isBsd());
    assertFalse(Os.WINDOWS.isBsd(), "no sin_len on Windows");
    assertFalse(Os.WINDOWS.isPosix());
    assertTrue(Os.LINUX.isPosix());
    for (Os os : BSDS) {
      assertTrue(os.isBsd(), os.name());
    }
  }

  @Test
  void everyBsdValueMatchesTheLibcCrate() throws IOException {
    Map<String, String[]> reference = new LinkedHashMap<>();
    try (InputStream in = OsConstantsTest.class.getResourceAsStream("libc-bsd-constants.txt");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.trim().split("\\s+");
          assertEquals(5, f.length, line);
          reference.put(f[0], f);
        }
      }
    }
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    for (OsConstants table : TABLES) {
      for (Map.Entry<String, int[]> row : table.rows().entrySet()) {
        String[] ref = reference.get(row.getKey());
        if (ref == null) {
          mismatches.add(table.header() + " " + row.getKey() + ": not in the reference");
          continue;
        }
        for (int i = 0; i < BSDS.length; i++) {
          int want = "none".equals(ref[i + 1]) ? OsConstants.NONE : Integer.parseInt(ref[i + 1]);
          int have = row.getValue()[BSDS[i].ordinal()];
          checked++;
          if (want != have) {
            mismatches.add(table.header() + " " + row.getKey() + " on " + BSDS[i].displayName()
                + ": table " + show(have) + ", libc crate " + show(want));
          }
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertTrue(checked > 400, "checked only " + checked);
  }

  /** The Windows column: the sections of {@code winapi-windows-constants.txt}, by name. */
  private static Map<String, Map<String, String>> windowsReference() throws IOException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> section = null;
    try (InputStream in = OsConstantsTest.class.getResourceAsStream("winapi-windows-constants.txt");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String text = line.replaceFirst("#.*", "").trim();
        if (text.isEmpty()) {
          continue;
        }
        if (text.startsWith("[")) {
          section = new LinkedHashMap<>();
          sections.put(text, section);
          continue;
        }
        String[] f = text.split("\\s+");
        assertEquals(2, f.length, line);
        section.put(f[0], f[1]);
      }
    }
    return sections;
  }

  @Test
  void everyWindowsSocketValueMatchesTheWindowsSdk() throws IOException {
    Map<String, String> reference = windowsReference().get("[constants]");
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    for (OsConstants table : List.of(Socket.TABLE, In.TABLE, Tcp.TABLE)) {
      for (Map.Entry<String, int[]> row : table.rows().entrySet()) {
        String ref = reference.get(row.getKey());
        if (ref == null) {
          mismatches.add(table.header() + " " + row.getKey() + ": not in the reference");
          continue;
        }
        int want = "none".equals(ref) ? OsConstants.NONE : Integer.parseInt(ref);
        int have = row.getValue()[Os.WINDOWS.ordinal()];
        checked++;
        if (want != have) {
          mismatches.add(table.header() + " " + row.getKey() + " on Windows: table " + show(have)
              + ", Windows SDK " + show(want));
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertTrue(checked >= 49, "checked only " + checked);
  }

  @Test
  void everyWinsockErrorCodeMatchesTheWindowsSdk() throws IOException {
    Map<String, String> reference = windowsReference().get("[winerror]");
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<Integer, String[]> code :
        dev.poll4j.internal.windows.sys.WinError.codes().entrySet()) {
      String name = code.getValue()[0];
      String ref = reference.get(name);
      if (ref == null || Integer.parseInt(ref) != code.getKey()) {
        mismatches.add(name + ": WinError " + code.getKey() + ", Windows SDK " + ref);
      }
    }
    assertEquals(List.of(), mismatches);
    assertTrue(
        dev.poll4j.internal.windows.sys.WinError.codes().size() >= 40,
        "WinError names too few codes");
  }

  @Test
  void theWindowsErrnoColumnIsTheWinsockErrorForTheSameCondition() throws IOException {
    Map<String, Map<String, String>> ref = windowsReference();
    Map<String, String> mapping = ref.get("[errno]");
    Map<String, String> codes = ref.get("[winerror]");
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, int[]> row : Errno.TABLE.rows().entrySet()) {
      String wsa = mapping.get(row.getKey());
      if (wsa == null) {
        mismatches.add(row.getKey() + ": not in the reference");
        continue;
      }
      int want = "none".equals(wsa) ? OsConstants.NONE : Integer.parseInt(codes.get(wsa));
      int have = row.getValue()[Os.WINDOWS.ordinal()];
      if (want != have) {
        mismatches.add(row.getKey() + " on Windows: table " + show(have) + ", " + wsa + " "
            + show(want));
      }
    }
    assertEquals(List.of(), mismatches);
    // What the socket code depends on, spelled out: would-block, a closed socket, refusals.
    assertEquals(10035, Errno.TABLE.value("EAGAIN", Os.WINDOWS), "WSAEWOULDBLOCK");
    assertEquals(10038, Errno.TABLE.value("EBADF", Os.WINDOWS), "WSAENOTSOCK");
    assertEquals(10061, Errno.TABLE.value("ECONNREFUSED", Os.WINDOWS), "WSAECONNREFUSED");
  }

  @Test
  void posixOnlyTablesHaveNoWindowsValues() {
    for (OsConstants table : List.of(Unistd.TABLE, Fcntl.TABLE, Poll.TABLE)) {
      for (Map.Entry<String, int[]> row : table.rows().entrySet()) {
        assertEquals(OsConstants.NONE, row.getValue()[Os.WINDOWS.ordinal()],
            table.header() + " " + row.getKey() + " has a Windows value");
      }
    }
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "compiles a probe against Linux's headers")
  void everyLinuxValueMatchesTheHeaders(@TempDir Path dir) throws Exception {
    StringBuilder c = new StringBuilder();
    c.append("#define _GNU_SOURCE\n#include <errno.h>\n#include <fcntl.h>\n#include <poll.h>\n")
        .append("#include <unistd.h>\n#include <limits.h>\n#include <sys/socket.h>\n")
        .append("#include <sys/uio.h>\n#include <netinet/in.h>\n#include <netinet/tcp.h>\n")
        .append("#include <stdio.h>\n#ifndef IOV_MAX\n#define IOV_MAX UIO_MAXIOV\n#endif\n")
        .append("int main(void) {\n");
    for (OsConstants table : TABLES) {
      for (String name : table.rows().keySet()) {
        c.append("#ifdef ").append(name).append('\n')
            .append("  printf(\"").append(name).append(" %ld\\n\", (long) (").append(name)
            .append("));\n#else\n  printf(\"").append(name).append(" none\\n\");\n#endif\n");
      }
    }
    c.append("  return 0;\n}\n");
    Path src = dir.resolve("probe.c");
    Path exe = dir.resolve("probe");
    Files.writeString(src, c);
    String compiler = compiler();
    run(List.of(compiler, "-o", exe.toString(), src.toString()));
    Map<String, String> probed = new LinkedHashMap<>();
    for (String line : run(List.of(exe.toString())).split("\n")) {
      String[] f = line.trim().split(" ");
      probed.put(f[0], f[1]);
    }
    List<String> mismatches = new ArrayList<>();
    for (OsConstants table : TABLES) {
      for (Map.Entry<String, int[]> row : table.rows().entrySet()) {
        String p = probed.get(row.getKey());
        int want = "none".equals(p) ? OsConstants.NONE : (int) Long.parseLong(p);
        int have = row.getValue()[Os.LINUX.ordinal()];
        if (want != have) {
          mismatches.add(table.header() + " " + row.getKey() + ": table " + show(have)
              + ", headers " + show(want));
        }
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void aMissingConstantIsNamedWhenRequired() {
    OsConstants t = new OsConstants("x.h", "A", 1, OsConstants.NONE, 3, 4, 5, 6);
    assertEquals(OsConstants.NONE, t.value("A", Os.MACOS));
    assertEquals(3, t.value("A", Os.FREEBSD));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.value("B", Os.LINUX));
    assertEquals("x.h has no B", e.getMessage());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> new OsConstants("y.h", "A", 1, 2));
    assertEquals("y.h: rows.length % 7 != 0: 3", bad.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OsConstants("z.h", "A", 1, 1, 1, 1, 1, 1, "A", 2, 2, 2, 2, 2, 2));
    assertEquals("z.h: A appears twice", twice.getMessage());
  }

  @Test
  void statLayoutsPerSystem() {
    assertEquals(24, Stat.Layout.of(Os.LINUX, true).modeOffset);
    assertEquals(16, Stat.Layout.of(Os.LINUX, false).modeOffset);
    assertEquals("fstat$INODE64", Stat.Layout.of(Os.MACOS, true).symbol);
    assertEquals("fstat", Stat.Layout.of(Os.MACOS, false).symbol);
    assertEquals(4, Stat.Layout.of(Os.MACOS, false).modeOffset);
    assertEquals(24, Stat.Layout.of(Os.FREEBSD, true).modeOffset);
    assertEquals(0, Stat.Layout.of(Os.OPENBSD, true).modeOffset);
    assertEquals("__fstat50", Stat.Layout.of(Os.NETBSD, true).symbol);
    assertEquals(8, Stat.Layout.of(Os.NETBSD, true).modeOffset);
    assertThrows(UnsupportedOperationException.class, () -> Stat.Layout.of(Os.WINDOWS, true));
  }

  private static String show(int v) {
    return v == OsConstants.NONE ? "none" : Integer.toString(v);
  }

  private static String compiler() {
    for (String cc : new String[] {"cc", "gcc", "clang"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, cc))) {
          return cc;
        }
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("no C compiler (cc, gcc, clang) on PATH: CI must install one (Debian: gcc, libc6-dev)");
    }
    return abort("no C compiler on PATH; install gcc to check the Linux column against headers");
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), command + ":\n" + text);
    return text;
  }
}
