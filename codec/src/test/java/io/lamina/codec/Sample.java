package io.lamina.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A ~1 KB, 10-field value used by every codec test. */
public record Sample(
    String name,
    long id,
    int quantity,
    double price,
    boolean active,
    long updatedAtMillis,
    List<String> tags,
    Map<String, Integer> stock,
    Address address,
    Kind kind) {

  /** A nested record. */
  public record Address(String street, String city, String zip) {}

  /** An enum field. */
  public enum Kind { PHYSICAL, DIGITAL }

  /** A deterministic sample of about 1 KB. */
  public static Sample of(int n) {
    List<String> tags = new ArrayList<>();
    Map<String, Integer> stock = new LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      tags.add("tag-" + n + "-" + i + "-lorem-ipsum");
      stock.put("warehouse-" + i, n * 10 + i);
    }
    return new Sample("product-" + n + " with a reasonably long descriptive name for realism", n, n % 100,
        n * 1.25, n % 2 == 0, 1_700_000_000_000L + n, tags, stock,
        new Address(n + " Long Street Name Avenue", "Springfield", "12345-" + n), Kind.values()[n % 2]);
  }
}
