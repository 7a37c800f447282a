package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lamina.benchmarks.simulate.FaultsSuite;
import io.lamina.benchmarks.simulate.SimulateSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command behind {@code benchmarks/run.sh}: {@code SUITE [--quick|--smoke] [--runs N] [--results DIR]
 * [--plots DIR] [--report FILE]}, where SUITE is one of
 * {@code l1 l2 codec invalidation stampede simulate faults warming memory all}.
 * Each suite writes {@code <results>/<suite>.json} and its plots, then the report is regenerated from every
 * result present.
 */
public final class Main {

  /** The suites in the order {@code all} runs them. */
  public static final Map<String, Suite> SUITES = suites();

  private Main() {}

  private static Map<String, Suite> suites() {
    Map<String, Suite> m = new LinkedHashMap<>();
    for (Suite s : List.of(new L1Suite(), new L2Suite(), new CodecSuite(), new InvalidationSuite(), new StampedeSuite(),
        new SimulateSuite(), new FaultsSuite(), new WarmingSuite(), new MemorySuite())) {
      m.put(s.name(), s);
    }
    return Collections.unmodifiableMap(m);
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /** Runs as the command line says; returns the exit status. */
  public static int run(String... args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: run.sh SUITE [--quick] [--runs N]   (SUITE: " + String.join(", ", SUITES.keySet())
          + ", all)");
      return 2;
    }
    String suite = args[0];
    Scale scale = Scale.FULL;
    Integer runs = null;
    Path results = Path.of("benchmarks", "results");
    Path plots = Path.of("docs", "benchmarks");
    Path report = Path.of("docs", "benchmarks.md");
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> scale = Scale.QUICK;
        case "--smoke" -> scale = Scale.SMOKE;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--plots" -> plots = Path.of(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          return 2;
        }
      }
    }
    if (runs != null) {
      scale = scale.withRuns(runs);
    }
    List<Suite> chosen = new ArrayList<>();
    if (suite.equals("all")) {
      chosen.addAll(SUITES.values());
    } else if (SUITES.containsKey(suite)) {
      chosen.add(SUITES.get(suite));
    } else {
      System.err.println("unknown suite '" + suite + "'; choose one of " + SUITES.keySet() + " or all");
      return 2;
    }
    Files.createDirectories(results);
    Files.createDirectories(plots);
    Context ctx = new Context(scale, results, plots, report);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    List<String> failed = new ArrayList<>();
    for (Suite s : chosen) {
      long start = System.nanoTime();
      ctx.log("suite " + s.name() + " (" + scale.name() + ", " + scale.runs() + " run(s))");
      JsonNode result;
      try {
        result = s.run(ctx).finish();
      } catch (Exception e) {
        if (chosen.size() == 1) {
          throw e;
        }
        e.printStackTrace();
        failed.add(s.name()); // the other suites of `all` still run; their results stay valid
        continue;
      }
      json.writeValue(results.resolve(s.name() + ".json").toFile(), result);
      Report.write(ctx);
      ctx.log("suite " + s.name() + " done in " + (System.nanoTime() - start) / 1_000_000_000 + " s");
    }
    if (!failed.isEmpty()) {
      System.err.println("[bench] failed: " + failed + " (their previous results, if any, were kept)");
      return 1;
    }
    return 0;
  }
}
