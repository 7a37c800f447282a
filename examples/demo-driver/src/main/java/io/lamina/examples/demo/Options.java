package io.lamina.examples.demo;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The driver's command line: {@code --name value} pairs; each error names the option and what to give. */
record Options(List<URI> instances, int seconds, int readRate, int writeRate, long redisPid, int outageAt,
    int outageFor, int products, int hotProducts, Path out, @Nullable String db, int warmupSeconds,
    boolean progressBar, @Nullable URI pricing) {

  static Options parse(String... args) {
    List<URI> instances = new ArrayList<>();
    int seconds = 60;
    int readRate = 400;
    int writeRate = 20;
    long redisPid = -1;
    int outageAt = -1;
    int outageFor = 4;
    Path out = Path.of(".");
    String db = null;
    int warmup = 10;
    boolean bar = false;
    URI pricing = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--instances" -> {
          for (String u : v.split(",", -1)) {
            instances.add(URI.create(u.strip()));
          }
        }
        case "--seconds" -> seconds = positive("--seconds", v);
        case "--read-rate" -> readRate = positive("--read-rate", v);
        case "--write-rate" -> writeRate = positive("--write-rate", v);
        case "--redis-pid" -> redisPid = Long.parseLong(v);
        case "--outage-at" -> outageAt = Integer.parseInt(v);
        case "--outage-for" -> outageFor = positive("--outage-for", v);
        case "--out" -> out = Path.of(v);
        case "--db" -> db = v;
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--progress" -> bar = v.equals("bar");
        case "--pricing" -> pricing = URI.create(v.strip());
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see demo.sh for the options");
      }
    }
    if (instances.size() < 2) {
      throw new IllegalArgumentException("--instances needs at least two catalog URLs, comma-separated");
    }
    if (outageAt < 0) {
      outageAt = seconds * 2 / 5;
    }
    return new Options(List.copyOf(instances), seconds, readRate, writeRate, redisPid, outageAt, outageFor, 1000, 50,
        out, db, warmup, bar, pricing);
  }

  private static int positive(String name, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return n;
  }
}
