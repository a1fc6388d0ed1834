package dev.poll4j.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The test cases of a legacy JUnit XML report ({@code TEST-junit-jupiter.xml}), as the JUnit
 * console launcher writes it inside a container.
 */
final class JUnitReport {
  /** How a contained test ended. */
  enum Outcome {
    PASSED,
    SKIPPED,
    FAILED,
    ERROR
  }

  /**
   * One test case.
   *
   * @param className the test class, such as {@code dev.poll4j.it.EpollConformanceTest}
   * @param name the test's name, such as {@code closeIsIdempotent()}
   * @param seconds its run time
   * @param outcome how it ended
   * @param message the failure or skip message ("" if none)
   * @param detail the failure's stack trace ("" if none)
   * @param output what the test printed, as the report recorded it ("" if nothing)
   */
  record Case(
      String className,
      String name,
      double seconds,
      Outcome outcome,
      String message,
      String detail,
      String output) {
    String simpleClassName() {
      return className.substring(className.lastIndexOf('.') + 1);
    }
  }

  /**
   * A whole report.
   *
   * @param properties the system properties of the JVM that ran the tests
   * @param cases its test cases, in report order
   */
  record Report(Map<String, String> properties, List<Case> cases) {}

  private JUnitReport() {}

  /**
   * Reads a report.
   *
   * @param file the XML report
   * @return its properties and test cases
   * @throws IOException if the file cannot be read or is not a JUnit XML report
   */
  static Report read(Path file) throws IOException {
    org.w3c.dom.Document doc;
    try (InputStream in = Files.newInputStream(file)) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      doc = f.newDocumentBuilder().parse(in);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("not a JUnit XML report: " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> properties = new HashMap<>();
    NodeList props = doc.getElementsByTagName("property");
    for (int i = 0; i < props.getLength(); i++) {
      Element p = (Element) props.item(i);
      properties.put(p.getAttribute("name"), p.getAttribute("value"));
    }
    List<Case> cases = new ArrayList<>();
    NodeList nodes = doc.getElementsByTagName("testcase");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element tc = (Element) nodes.item(i);
      Outcome outcome = Outcome.PASSED;
      String message = "";
      String detail = "";
      StringBuilder output = new StringBuilder();
      for (Node n = tc.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (!(n instanceof Element)) {
          continue;
        }
        Element e = (Element) n;
        switch (e.getTagName()) {
          case "skipped":
            outcome = Outcome.SKIPPED;
            message =
                e.hasAttribute("message")
                    ? e.getAttribute("message")
                    : firstLine(e.getTextContent());
            break;
          case "failure":
          case "error":
            outcome = e.getTagName().equals("failure") ? Outcome.FAILED : Outcome.ERROR;
            message = e.getAttribute("message");
            detail = e.getTextContent();
            break;
          case "system-out":
          case "system-err":
            output.append(e.getTextContent());
            break;
          default:
            break;
        }
      }
      cases.add(
          new Case(
              tc.getAttribute("classname"),
              tc.getAttribute("name"),
              parseSeconds(tc.getAttribute("time")),
              outcome,
              message.strip(),
              detail.strip(),
              output.toString().strip()));
    }
    return new Report(properties, cases);
  }

  // The first line of a stack trace, without the exception's class name when it is an abort.
  private static String firstLine(String trace) {
    String line = trace.strip().lines().findFirst().orElse("");
    String abort = "org.opentest4j.TestAbortedException: ";
    return line.startsWith(abort) ? line.substring(abort.length()) : line;
  }

  private static double parseSeconds(String s) {
    try {
      return Double.parseDouble(s.replace(",", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
