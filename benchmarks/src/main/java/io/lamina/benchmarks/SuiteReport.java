package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * What one suite writes to {@code results/<suite>.json}: machine facts, the load average before and after, raw
 * per-run figures, and what the report shows — tables, plots, goals (met or not, with the reason) and notes.
 * The report renders every suite the same way from these fields.
 */
public final class SuiteReport {

  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ArrayNode tables;
  private final ArrayNode plots;
  private final ArrayNode goals;
  private final ArrayNode notes;
  private final ArrayNode runs;

  /** Starts the result of {@code suite} at {@code scale}, recording the machine and its load now. */
  public SuiteReport(String suite, String title, Scale scale) {
    root.put("suite", suite);
    root.put("title", title);
    root.put("scale", scale.name());
    root.put("runs", scale.runs());
    root.put("started", Instant.now().toString());
    root.set("machine", Machine.facts());
    root.set("loadAverageBefore", Machine.loadAverage());
    root.putObject("servers");
    root.putObject("summary");
    runs = root.putArray("perRun");
    tables = root.putArray("tables");
    plots = root.putArray("plots");
    goals = root.putArray("goals");
    notes = root.putArray("notes");
  }

  /** Figures that the goals and the report quote: medians over runs, ratios to same-run baselines. */
  public ObjectNode summary() {
    return (ObjectNode) root.get("summary");
  }

  /** Records a server's version (e.g. {@code redis} → {@code 7.0.15}). */
  public void server(String name, String version) {
    ((ObjectNode) root.get("servers")).put(name, version);
  }

  /** Adds one run's raw figures. */
  public ObjectNode addRun() {
    return runs.addObject();
  }

  /** Adds a table; every row has as many cells as there are columns. */
  public void table(String title, List<String> columns, List<List<String>> rows) {
    ObjectNode t = tables.addObject();
    t.put("title", title);
    ArrayNode cols = t.putArray("columns");
    columns.forEach(cols::add);
    ArrayNode rs = t.putArray("rows");
    for (List<String> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("row " + row + " does not match columns " + columns);
      }
      ArrayNode r = rs.addArray();
      row.forEach(r::add);
    }
  }

  /** Adds a plot written to {@code file} (a name in the plots folder). */
  public void plot(String title, String file) {
    ObjectNode p = plots.addObject();
    p.put("title", title);
    p.put("file", file);
  }

  /**
   * Adds a goal with its verdict.
   *
   * @param goal what was aimed for, in words
   * @param measured the figure that decides it, in words with units and baseline
   * @param met whether it was met
   * @param why the reason when it was not (or a caveat when it was); may be empty
   */
  public void goal(String goal, String measured, boolean met, String why) {
    ObjectNode g = goals.addObject();
    g.put("goal", goal);
    g.put("measured", measured);
    g.put("met", met);
    g.put("why", why);
  }

  /** Adds a method note. */
  public void note(String text) {
    notes.add(text);
  }

  /** Records the load average after the suite and returns the finished JSON. */
  public JsonNode finish() {
    root.set("loadAverageAfter", Machine.loadAverage());
    root.put("finished", Instant.now().toString());
    return root;
  }
}
