package io.lamina.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.testkit.server.ServerKind;
import io.lamina.testkit.server.ServerResolution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every suite at the smoke scale (a few iterations, real servers) into a temporary folder: proves that each
 * still runs and writes its JSON, plots and report section. Measures nothing and asserts no timing.
 */
class SuitesIT {

  @TempDir
  static Path out;

  @BeforeAll
  static void serversAvailable() {
    for (ServerKind kind : ServerKind.values()) {
      ServerResolution r = ServerResolution.resolve(kind);
      if (r.binary() == null) {
        if (r.required()) {
          throw new IllegalStateException(r.missingMessage());
        }
        Assumptions.abort(r.missingMessage());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"codec", "l1", "l2", "invalidation", "stampede", "simulate", "faults", "warming",
      "memory"})
  void suite_runsAtSmokeScale_andWritesResultsPlotsAndReport(String suite) throws Exception {
    Path results = out.resolve("results");
    Path plots = out.resolve("plots");
    Path report = out.resolve("benchmarks.md");

    int status = Main.run(suite, "--smoke", "--results", results.toString(), "--plots", plots.toString(),
        "--report", report.toString());

    assertThat(status).isZero();
    JsonNode json = new ObjectMapper().readTree(results.resolve(suite + ".json").toFile());
    assertThat(json.path("suite").asText()).isEqualTo(suite);
    assertThat(json.path("perRun")).isNotEmpty();
    assertThat(json.path("tables")).isNotEmpty();
    assertThat(json.path("loadAverageAfter")).isNotEmpty();
    for (JsonNode plot : json.path("plots")) {
      assertThat(plots.resolve(plot.path("file").asText())).isNotEmptyFile();
    }
    assertThat(Files.readString(report)).contains("## " + json.path("title").asText());
  }
}
