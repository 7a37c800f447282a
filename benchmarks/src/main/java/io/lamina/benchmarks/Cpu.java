package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU time per thread of this JVM over a quiet window: a thread that burns CPU while nothing happens is
 * spinning (on two cores a spinning thread delays every message the others wait for).
 */
public final class Cpu {

  private Cpu() {}

  /**
   * Sleeps {@code millis} and reports each thread's share of one core over that time: the busiest three, and the
   * sum over all threads.
   */
  public static ObjectNode quietWindow(long millis) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> before = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      before.put(id, mx.getThreadCpuTime(id));
    }
    long start = System.nanoTime();
    LockSupport.parkNanos(millis * 1_000_000);
    long elapsed = System.nanoTime() - start;
    List<double[]> shares = new ArrayList<>();
    Map<Long, String> names = new HashMap<>();
    double total = 0;
    for (long id : mx.getAllThreadIds()) {
      long now = mx.getThreadCpuTime(id);
      Long then = before.get(id);
      if (now < 0 || then == null || then < 0) {
        continue;
      }
      double share = 100.0 * (now - then) / elapsed;
      total += share;
      ThreadInfo info = mx.getThreadInfo(id);
      names.put(id, info == null ? "?" : info.getThreadName());
      shares.add(new double[] {id, share});
    }
    shares.sort((a, b) -> Double.compare(b[1], a[1]));
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("windowMillis", millis);
    n.put("allThreadsPercentOfOneCore", Stats.round3(total));
    var top = n.putArray("busiest");
    for (int i = 0; i < Math.min(3, shares.size()); i++) {
      top.addObject().put("thread", names.get((long) shares.get(i)[0]))
          .put("percentOfOneCore", Stats.round3(shares.get(i)[1]));
    }
    n.put("busiestPercent", shares.isEmpty() ? 0 : Stats.round3(shares.get(0)[1]));
    return n;
  }
}
