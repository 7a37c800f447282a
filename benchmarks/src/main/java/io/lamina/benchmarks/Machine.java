package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Facts about the machine and the software a result was measured with: cores, memory, CPU model, OS, JDK, library
 * and server versions, and the load average (which says how noisy the machine was). No paths are recorded.
 */
public final class Machine {

  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Machine() {}

  /** The 1-, 5- and 15-minute load averages (only the first where the OS gives no more; -1 if unknown). */
  public static ArrayNode loadAverage() {
    ArrayNode n = JsonNodeFactory.instance.arrayNode();
    try {
      if (Files.isReadable(LOADAVG)) {
        String[] parts = WHITESPACE.split(Files.readString(LOADAVG).trim(), -1);
        for (int i = 0; i < 3; i++) {
          n.add(Double.parseDouble(parts[i]));
        }
        return n;
      }
    } catch (IOException | RuntimeException ignored) {
      // fall through to the MXBean
    }
    n.add(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return n;
  }

  /** Everything but the load average. */
  public static ObjectNode facts() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    Runtime rt = Runtime.getRuntime();
    n.put("cores", rt.availableProcessors());
    n.put("cpu", cpuModel());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      n.put("memoryGiB", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    }
    n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    n.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    n.put("jvm", System.getProperty("java.vm.name"));
    n.put("benchmarkJvmArgs", String.join(" ", Jmh.jvmArgs()));
    String commit = System.getProperty("lamina.bench.commit");
    if (commit != null && !commit.isBlank()) {
      n.put("commit", commit);
    }
    ObjectNode versions = n.putObject("versions");
    libraryVersions().forEach((k, v) -> versions.put(String.valueOf(k), String.valueOf(v)));
    return n;
  }

  /** Library versions as the build resolved them. */
  public static Properties libraryVersions() {
    Properties p = new Properties();
    try (InputStream in = Machine.class.getResourceAsStream("/lamina-benchmarks.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static String cpuModel() {
    try {
      if (Files.isReadable(CPUINFO)) {
        List<String> lines = Files.readAllLines(CPUINFO);
        for (String line : lines) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // unknown
    }
    return "unknown";
  }
}
