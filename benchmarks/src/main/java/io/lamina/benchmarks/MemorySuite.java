package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lamina.benchmarks.MemorySubjects.Subject;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Memory per L1 entry: Lamina's local tier against raw Caffeine configured like it (size bound, variable expiry)
 * and as an application would configure an L1 (size bound, expireAfterWrite), each filled with the same keys and
 * 1 KB values. JOL walks each cache's object graph before and after the fill; the difference over the entries,
 * less the key and the value, is what the cache spends per entry, and the same difference per class shows where.
 * Sizes are exact for this JVM's layout (compressed oops, object alignment), so the machine's load does not move
 * them.
 */
final class MemorySuite implements Suite {

  static final int VALUE_BYTES = 1024;
  static final double GOAL_EXTRA_BYTES = 48;
  /** Per-class rows below this many bytes per entry are left out of the breakdown (buffers, counters). */
  private static final double SHOWN_BYTES = 0.5;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    // Lambdas are hidden classes, whose field offsets Unsafe will not give: JOL then finds them by probing.
    System.setProperty("jol.magicFieldOffset", "true");
    Scale scale = ctx.scale();
    SuiteReport report = new SuiteReport(name(), "L1 memory per entry: Lamina against raw Caffeine", scale);
    int entries = scale.smoke() ? 2_000 : scale.quick() ? 20_000 : 100_000;
    String[] keys = new String[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = String.format(Locale.ROOT, "key-%07d", i);
    }
    long keyBytes = GraphLayout.parseInstance((Object) keys[0]).totalSize();
    long valueBytes = GraphLayout.parseInstance((Object) new byte[VALUE_BYTES]).totalSize();
    Runs f = new Runs();
    Map<String, Map<String, double[]>> classes = new LinkedHashMap<>();
    Map<String, Class<?>> seen = new LinkedHashMap<>();
    for (int run = 0; run < scale.runs(); run++) {
      ObjectNode perRun = report.addRun();
      for (String impl : MemorySubjects.NAMES) {
        ctx.log("memory run " + (run + 1) + "/" + scale.runs() + ", " + impl + ", " + entries + " entries");
        try (Subject s = MemorySubjects.create(impl, entries)) {
          settle();
          GraphLayout empty = GraphLayout.parseInstance(s.root());
          for (String key : keys) {
            s.fill(key, new byte[VALUE_BYTES]);
          }
          s.settle();
          if (s.size() != entries) {
            throw new IllegalStateException(impl + " holds " + s.size() + " entries, not " + entries);
          }
          settle();
          GraphLayout full = GraphLayout.parseInstance(s.root());
          double perEntry = (full.totalSize() - empty.totalSize()) / (double) entries;
          double overhead = perEntry - keyBytes - valueBytes;
          f.add("overhead/" + impl, overhead);
          Map<String, double[]> byClass = new LinkedHashMap<>();
          for (Class<?> c : full.getClasses()) {
            double bytes = (full.getClassSizes().count(c) - empty.getClassSizes().count(c)) / (double) entries;
            double count = (full.getClassCounts().count(c) - empty.getClassCounts().count(c)) / (double) entries;
            if (Math.abs(bytes) >= SHOWN_BYTES) {
              byClass.put(c.getName(), new double[] {bytes, count});
              seen.put(c.getName(), c);
            }
          }
          classes.put(impl, byClass);
          perRun.putObject(impl).put("bytesPerEntry", Stats.round3(perEntry)).put("overheadPerEntry",
              Stats.round3(overhead)).put("graphBytesEmpty", empty.totalSize()).put("graphBytesFull", full.totalSize());
        }
      }
    }
    summarise(report, f, classes, seen, entries, keyBytes, valueBytes);
    return report;
  }

  /** Asks for a collection so the graph walk sees no garbage of the previous subject (JOL walks reachable objects). */
  private static void settle() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
  }

  private static void summarise(SuiteReport report, Runs f, Map<String, Map<String, double[]>> classes,
      Map<String, Class<?>> seen, int entries, long keyBytes, long valueBytes) {
    double lamina = f.median("overhead/" + MemorySubjects.LAMINA);
    double variable = f.median("overhead/" + MemorySubjects.CAFFEINE_VARIABLE);
    double write = f.median("overhead/" + MemorySubjects.CAFFEINE_WRITE);
    List<List<String>> rows = new ArrayList<>();
    for (String impl : MemorySubjects.NAMES) {
      double o = f.median("overhead/" + impl);
      List<String> perRun = new ArrayList<>();
      f.all("overhead/" + impl).forEach(v -> perRun.add(bytes(v)));
      rows.add(List.of(MemorySubjects.label(impl), bytes(o + keyBytes + valueBytes), bytes(o),
          String.join(", ", perRun), delta(o - variable), delta(o - write)));
      report.summary().putObject(impl).put("overheadBytesPerEntry", Stats.round3(o))
          .put("deltaToCaffeineVariableExpiry", Stats.round3(o - variable))
          .put("deltaToCaffeineExpireAfterWrite", Stats.round3(o - write));
    }
    report.table("Retained bytes per entry, " + entries + " entries (median of runs)", List.of("cache",
        "bytes per entry", "less key (" + keyBytes + " B) and value (" + valueBytes + " B)", "per run",
        "Δ vs Caffeine, variable expiry", "Δ vs Caffeine, expireAfterWrite"), rows);
    List<List<String>> breakdown = new ArrayList<>();
    for (String cls : seen.keySet()) {
      List<String> row = new ArrayList<>(List.of(shortName(cls)));
      for (String impl : MemorySubjects.NAMES) {
        double[] v = classes.getOrDefault(impl, Map.of()).get(cls);
        row.add(v == null ? "–" : Stats.fmt(v[0]) + " (" + (Math.abs(v[1]) < 0.01 ? "≈0" : Stats.fmt(v[1])) + ")");
      }
      breakdown.add(row);
    }
    List<String> cols = new ArrayList<>(List.of("class"));
    MemorySubjects.NAMES.forEach(n -> cols.add(MemorySubjects.label(n)));
    report.table("Where the bytes go: bytes per entry by class, full minus empty graph (objects per entry in "
        + "brackets; last run)", cols, breakdown);
    List<List<String>> layout = new ArrayList<>();
    for (Map.Entry<String, Class<?>> e : seen.entrySet()) {
      double[] mine = classes.getOrDefault(MemorySubjects.LAMINA, Map.of()).get(e.getKey());
      if (mine == null || mine[1] < 0.9 || e.getValue().isArray()) {
        continue;
      }
      layout.add(layoutRow(e.getValue(), shortName(e.getKey())));
    }
    layout.add(layoutRow(Version.class, "Version (one per entry only with an L2; L1-only entries share "
        + "Version.NONE)"));
    report.table("Layout of the objects Lamina's L1 holds once per entry (JOL ClassLayout, bytes)",
        List.of("class", "header", "fields (bytes)", "padding", "instance size"), layout);
    double worst = Math.max(lamina - variable, lamina - write);
    // Judged at the tenth of a byte the figures are given to: objects every entry shares (see the notes) are in
    // the full walk only, and add a few hundred-thousandths of a byte per entry that no entry costs.
    boolean metVariable = tenths(lamina - variable) <= GOAL_EXTRA_BYTES;
    boolean metWrite = tenths(lamina - write) <= GOAL_EXTRA_BYTES;
    report.goal("L1 memory per entry (1 KB value) ≤ raw Caffeine's + " + (int) GOAL_EXTRA_BYTES + " B, against "
        + "Caffeine with variable expiry (as Lamina's L1 is built)", "Lamina " + bytes(lamina) + " B, Caffeine "
        + bytes(variable) + " B per entry beyond key and value: " + delta(lamina - variable),
        metVariable, metVariable ? "" : WHY);
    report.goal("L1 memory per entry (1 KB value) ≤ raw Caffeine's + " + (int) GOAL_EXTRA_BYTES + " B, against "
        + "Caffeine with expireAfterWrite (as an application configures an L1)", "Lamina " + bytes(lamina)
        + " B, Caffeine " + bytes(write) + " B per entry beyond key and value: " + delta(lamina - write),
        metWrite, metWrite ? ""
            : "the same ValueEntry holder as in the row above (see the tables)");
    report.summary().put("worstDelta", Stats.round3(worst));
    report.note(entries + " entries with keys like `key-0000001` (" + keyBytes + " B: String and its byte[]) and "
        + "distinct 1 KB byte[] values (" + valueBytes + " B), in caches bounded at 1.25× that many entries with a "
        + "5 min time to live, so nothing is evicted or expires. Each cache is built, its object graph walked (JOL "
        + "`GraphLayout`), filled, its maintenance run, and walked again; bytes per entry = (full − empty) / "
        + "entries. Both walks include the hash table and frequency sketch, which Caffeine sizes from the bound and "
        + "the entry count, the same for every cache here: they add the same share to every row, not to the Δ.");
    report.note("Lamina: `TieredCache` with an L1 only (no L2, no bus), filled by `get(key, loader)`; the walk "
        + "starts at its local tier, the Caffeine cache it wraps. The whole `TieredCache` graph is walked too (\""
        + MemorySubjects.label(MemorySubjects.LAMINA_WHOLE) + "\" row) to show that nothing outside L1 grows with "
        + "the entries. With an L2, an entry read from or stored to it also holds its own `Version` (incarnation "
        + "and counter) where an L1-only entry shares `Version.NONE`. Every Caffeine here runs its maintenance on "
        + "the calling thread, so no pending task is walked. Objects all entries share, `Version.NONE` (32 B) and "
        + "the cache's current generation (24 B), are reached from the local tier only once it holds an entry: "
        + "the L1 walk counts them in the full graph alone, 56 B over all the entries (0.0006 B each, below the "
        + "tenth of a byte the figures and goals are given to).");
    report.note("Lamina's holder per entry, ValueEntry, is 48 B: 12 header + 4 value + 4 version + 4 generation "
        + "(a reference to the generation's one object, compared by identity) + 8 storedAtNanos + 8 deadlineNanos "
        + "(both exact) + 4 freshness and 4 load time (ints in a per-cache unit, 1 µs for the default 10 min max "
        + "age, rounded so an entry goes stale early and counts its load as longer, never the reverse). An entry "
        + "with a source version (`versionOf`) is a 56 B subclass. With an L2, a subclass holding the version's "
        + "incarnation and counter as two longs would replace the 32 B Version object with 16 more bytes in the "
        + "holder.");
    VirtualMachine vm = VM.current();
    report.note("JVM layout (JOL, from field offsets; no agent attached): " + vm.addressSize() * 8 + "-bit, "
        + vm.objectHeaderSize() + "-byte object header, " + vm.classPointerSize() + "-byte class pointers, "
        + vm.sizeOfField("java.lang.Object") + "-byte references, " + vm.objectAlignment() + "-byte alignment. "
        + "In Caffeine " + Caffeine.class.getPackage().getImplementationVersion() + " variable expiry and "
        + "expireAfterWrite build the same node class (the timer wheel reuses the write-order links and time), so "
        + "the two raw baselines come out equal.");
  }

  /** Why Lamina's L1 misses the goal, as the breakdown and layout tables show it. */
  private static final String WHY = "all of Lamina's extra bytes are one ValueEntry per entry (see the layout "
      + "table), which Caffeine holds where the raw cache holds the value; Caffeine's node, hash-table node and the "
      + "key cost the same as in raw Caffeine, and nothing outside L1 grows with the entries. With an L2 each entry "
      + "also holds its own Version (32 B)";

  private static double tenths(double b) {
    return Math.round(b * 10) / 10.0;
  }

  private static String delta(double d) {
    return (d >= 0 ? "+" : "") + bytes(d) + " B";
  }

  /** Bytes per entry to a tenth: the walk is exact, so the figure is not rounded to three digits. */
  private static String bytes(double b) {
    return String.format(Locale.ROOT, "%,.1f", b);
  }

  private static List<String> layoutRow(Class<?> c, String label) {
    ClassLayout cl = ClassLayout.parseClass(c);
    List<String> fields = new ArrayList<>();
    for (FieldLayout fl : cl.fields()) {
      fields.add(fl.name() + " " + shortName(fl.typeClass()) + " (" + fl.size() + ")");
    }
    return List.of(label, String.valueOf(cl.headerSize()), String.join(", ", fields),
        String.valueOf(cl.getLossesTotal()), String.valueOf(cl.instanceSize()));
  }

  /** A class name without its package; arrays as {@code byte[]} or {@code ConcurrentHashMap$Node[]}. */
  private static String shortName(String cls) {
    String name = switch (cls) {
      case "[B" -> "byte[]";
      case "[J" -> "long[]";
      case "[I" -> "int[]";
      case "[Ljava.lang.Object;" -> "Object[]";
      default -> cls.startsWith("[L") ? cls.substring(2, cls.length() - 1) + "[]" : cls;
    };
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
