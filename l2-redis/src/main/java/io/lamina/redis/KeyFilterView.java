package io.lamina.redis;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One read of a key filter's pointer: the generation in service (null before the first rebuild or after Redis
 * lost it), the generations being built (adds must reach them), and those whose build ran out of time (a rebuild
 * deletes them).
 */
record KeyFilterView(@Nullable String current, List<String> building, List<String> expired) {

  KeyFilterView {
    building = List.copyOf(building);
    expired = List.copyOf(expired);
  }

  /** Parses the state script's reply: pairs of a tag ({@code current}, {@code building}, ...) and a name. */
  static KeyFilterView parse(List<?> reply) {
    String current = null;
    List<String> building = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      String name = String.valueOf(reply.get(i + 1));
      switch (String.valueOf(reply.get(i))) {
        case "current" -> current = name;
        case "building" -> building.add(name);
        case "expired" -> expired.add(name);
        default -> { } // a generation still being prepared: not a target yet
      }
    }
    return new KeyFilterView(current, building, expired);
  }

  /** The generations an add must reach: the one in service and every one being built. */
  List<String> targets() {
    List<String> targets = new ArrayList<>(building.size() + 1);
    if (current != null) {
      targets.add(current);
    }
    targets.addAll(building);
    return targets;
  }

  String currentOrEmpty() {
    return current == null ? "" : current;
  }

  List<String> buildingWithout(String generation) {
    List<String> rest = new ArrayList<>(building);
    rest.remove(generation);
    return rest;
  }
}
