package dev.poll4j.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns JMH's JSON output ({@code -rf json}) into a Markdown table of medians with ratios to the
 * JDK peer of the same run, and a PNG bar chart of those ratios.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.poll4j.benchmarks.ChartWriter results.json
 * [more.json ...] results.md chart.png}: every JSON file's results go into the one table (run.sh
 * adds {@link EchoCpuBenchmark}'s, which are written in JMH's format). Run by {@code
 * benchmarks/run.sh}.
 *
 * <p>Rows are grouped by benchmark class and parameters other than {@code backend}. The JDK peer of
 * a group is its benchmark method whose name starts with {@code jdk} and is shortest (for the poll
 * cost, {@code jdkSelectNow}, the {@code selectNow(Consumer)} variant); a ratio is a row's median
 * divided by the peer's median, so below 1 means faster than the JDK. The median is taken over all
 * measurement iterations of all forks. For {@code PollCostBenchmark}, ns per event is the median
 * divided by the events one operation handles: {@code min(m, k, 1024)}.
 */
public final class ChartWriter {
  private ChartWriter() {}

  /** One JMH result: a benchmark method with one set of parameters. */
  record Row(
      String bench,
      String method,
      String backend,
      Map<String, String> params,
      double median,
      double error,
      String unit,
      double allocBytes) {

    String group() {
      StringBuilder sb = new StringBuilder(bench.replace("Benchmark", ""));
      params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      return sb.toString();
    }

    String impl() {
      return backend == null ? method : method + " (" + backend + ")";
    }

    boolean isJdk() {
      return method.startsWith("jdk");
    }

    /** Events handled per operation, or 0 where that is not defined. */
    int eventsPerOp() {
      if (!bench.equals("PollCostBenchmark")) {
        return 0;
      }
      int k = Integer.parseInt(params.get("k"));
      return Math.min(PollCostBenchmark.BATCH, PollCostBenchmark.readyCount(k, params.get("m")));
    }
  }

  /**
   * Reads the JSON and writes the table and the chart.
   *
   * @param args one or more JSON files, the Markdown file, the PNG file
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: ChartWriter results.json [more.json ...] results.md chart.png, got "
              + Arrays.toString(args));
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < args.length - 2; i++) {
      rows.addAll(read(Path.of(args[i])));
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException(
          "no results in " + Arrays.toString(Arrays.copyOf(args, args.length - 2)));
    }
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row row : rows) {
      groups.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row);
    }
    Files.writeString(Path.of(args[args.length - 2]), table(groups), StandardCharsets.UTF_8);
    chart(groups, Path.of(args[args.length - 1]));
  }

  static List<Row> read(Path json) throws IOException {
    JsonArray results;
    try (Reader in = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
      results = JsonParser.parseReader(in).getAsJsonArray();
    }
    List<Row> rows = new ArrayList<>();
    for (JsonElement e : results) {
      JsonObject r = e.getAsJsonObject();
      String full = r.get("benchmark").getAsString();
      String[] parts = full.split("\\.");
      String bench = parts[parts.length - 2];
      String method = parts[parts.length - 1];
      Map<String, String> params = new TreeMap<>(Comparator.comparing(ChartWriter::paramOrder));
      String backend = null;
      if (r.has("params")) {
        for (Map.Entry<String, JsonElement> p : r.getAsJsonObject("params").entrySet()) {
          if (p.getKey().equals("backend")) {
            backend = p.getValue().getAsString();
          } else {
            params.put(p.getKey(), p.getValue().getAsString());
          }
        }
      }
      JsonObject primary = r.getAsJsonObject("primaryMetric");
      List<Double> raw = new ArrayList<>();
      for (JsonElement fork : primary.getAsJsonArray("rawData")) {
        for (JsonElement v : fork.getAsJsonArray()) {
          raw.add(v.getAsDouble());
        }
      }
      double alloc = Double.NaN;
      JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
      if (secondary != null && secondary.has("gc.alloc.rate.norm")) {
        alloc = secondary.getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble();
      }
      double error = primary.get("scoreError").isJsonPrimitive()
          ? primary.get("scoreError").getAsDouble()
          : Double.NaN;
      rows.add(
          new Row(
              bench,
              method,
              backend,
              params,
              median(raw),
              error,
              primary.get("scoreUnit").getAsString(),
              alloc));
    }
    return rows;
  }

  // k before m, then alphabetical.
  private static String paramOrder(String name) {
    return name.equals("k") ? "0" : name.equals("m") ? "1" : "2" + name;
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  static Row peer(List<Row> group) {
    Row best = null;
    for (Row row : group) {
      if (row.isJdk() && (best == null || row.method.length() < best.method.length())) {
        best = row;
      }
    }
    return best;
  }

  static String table(Map<String, List<Row>> groups) {
    StringBuilder sb = new StringBuilder();
    sb.append("| benchmark | params | implementation | median | ± error (99.9 %) | ns/event ")
        .append("| B/op | ratio to JDK |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (List<Row> group : groups.values()) {
      Row peer = peer(group);
      for (Row row : group) {
        int events = row.eventsPerOp();
        String ratio;
        if (peer == null) {
          ratio = "(no JDK peer)";
        } else if (row == peer) {
          ratio = "1 (JDK peer)";
        } else {
          ratio = fmt(row.median / peer.median, 2) + "×";
        }
        sb.append("| ")
            .append(row.bench)
            .append(" | ")
            .append(paramText(row.params))
            .append(" | `")
            .append(row.impl())
            .append("` | ")
            .append(fmt(row.median, 1))
            .append(' ')
            .append(row.unit)
            .append(" | ")
            .append(fmt(row.error, 1))
            .append(" | ")
            .append(events > 0 ? fmt(row.median / events, 1) : "")
            .append(" | ")
            .append(fmt(row.allocBytes, 1))
            .append(" | ")
            .append(ratio)
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  private static String paramText(Map<String, String> params) {
    if (params.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    params.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return sb.toString();
  }

  private static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  static void chart(Map<String, List<Row>> groups, Path png) throws IOException {
    // One bar per non-peer row: XChart's log axis refuses the gaps that one series per
    // implementation would leave where an implementation has no row.
    List<String> labels = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
      Row peer = peer(g.getValue());
      if (peer == null) {
        continue;
      }
      for (Row row : g.getValue()) {
        double ratio = row.median / peer.median;
        if (row != peer && ratio > 0 && !Double.isNaN(ratio)) {
          labels.add(g.getKey() + " " + row.impl());
          ratios.add(ratio);
        }
      }
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Math.max(1000, 28 * labels.size() + 200))
            .height(900)
            .title("poll4j vs JDK Selector: median time / median time of the JDK peer (1 = same)")
            .xAxisTitle("benchmark, parameters, implementation")
            .yAxisTitle("ratio to JDK (log scale, lower is faster)")
            .build();
    Styler styler = chart.getStyler();
    styler.setLegendVisible(false);
    chart.getStyler().setYAxisLogarithmic(true);
    // Bars start at zero unless told otherwise, which a log axis refuses.
    double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(1);
    double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.min(min, 1)))));
    chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(Math.max(max, 1) * 1.01))));
    chart.getStyler().setXAxisLabelRotation(75);
    chart.addSeries("ratio to JDK", labels, ratios);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
