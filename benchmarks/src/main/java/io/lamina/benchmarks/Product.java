package io.lamina.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value every suite caches: about 1 KB in ten fields (strings, numbers, a list, a map, a nested record and an
 * enum), like a catalogue row. {@code version} is the source of truth's version of the row, which the simulator
 * uses to recognise stale reads.
 *
 * @param id the row id
 * @param version the source's version of the row when it was read
 * @param name a long display name
 * @param price a price
 * @param active a flag
 * @param updatedAtMillis a timestamp
 * @param tags twelve tags
 * @param stock twelve warehouse counts
 * @param address a nested record
 * @param kind an enum
 */
public record Product(long id, long version, String name, double price, boolean active, long updatedAtMillis,
    List<String> tags, Map<String, Integer> stock, Address address, Kind kind) implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * A nested record.
   *
   * @param street a street
   * @param city a city
   * @param zip a postal code
   */
  public record Address(String street, String city, String zip) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** An enum field. */
  public enum Kind { PHYSICAL, DIGITAL }

  /** A deterministic product of about 1 KB. */
  public static Product of(long id, long version) {
    List<String> tags = new ArrayList<>();
    Map<String, Integer> stock = new LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      tags.add("tag-" + id + "-" + i + "-lorem-ipsum");
      stock.put("warehouse-" + i, (int) (id * 10 + i));
    }
    return new Product(id, version, "product-" + id + " with a reasonably long descriptive name for realism",
        id * 1.25, id % 2 == 0, 1_700_000_000_000L + id + version, tags, stock,
        new Address(id + " Long Street Name Avenue", "Springfield", "12345-" + id), Kind.values()[(int) (id % 2)]);
  }
}
