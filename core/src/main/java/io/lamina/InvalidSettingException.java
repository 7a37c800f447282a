package io.lamina;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A configuration value Lamina refuses, thrown by the setters and {@code build()} of {@link TieredCacheConfig},
 * {@link ProtectionConfig}, and by {@link BusConfig} and {@link WriteBehindConfig}, always at configuration time.
 *
 * <p>Besides the message, it carries what an integration needs to report the error in its users' words without
 * parsing text: the {@linkplain #setting() setting} in Lamina's terms (such as {@code l1.maximumSize},
 * {@code protection.hotKeys} or {@code bus.detectionTime}), the {@linkplain #value() value} refused, and the
 * {@linkplain #relatedSettings() settings} it was checked against. The Spring Boot starter, for example, reports
 * {@code l1.maximumSize} as {@code lamina.caches.<name>.l1.maximum-size} with
 * {@link #requirement(UnaryOperator)} naming any related setting as a property too.
 */
public class InvalidSettingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String setting;
  private final transient @Nullable Object value;
  private final String requirement;
  private final String[] related;

  /**
   * @param setting the setting at fault, in Lamina's terms
   * @param value the value refused
   * @param requirement what the value must satisfy, such as {@code "must be positive"}; {@code {0}},
   *     {@code {1}}, … stand for the related settings, so that each can be named in another vocabulary
   * @param related the settings the value was checked against, in Lamina's terms, in placeholder order
   */
  public InvalidSettingException(String setting, @Nullable Object value, String requirement, String... related) {
    super(describe(setting, value, fill(requirement, List.of(related), UnaryOperator.identity())));
    this.setting = Objects.requireNonNull(setting, "setting");
    this.value = value;
    this.requirement = requirement;
    this.related = related.clone();
  }

  /** The setting at fault, in Lamina's terms: {@code l1.maximumSize}, {@code protection.staleIfError}, … */
  public String setting() {
    return setting;
  }

  /** The value refused; null when the value itself was null, or after the exception was deserialized. */
  public @Nullable Object value() {
    return value;
  }

  /** The settings the value was checked against (for a pair that contradicts itself), empty for a lone value. */
  public List<String> relatedSettings() {
    return List.of(related);
  }

  /**
   * What the value must satisfy, without the setting's name or the value: {@code "must be positive"}, or
   * {@code "must not exceed l1.maxAge (PT10M), the hard cap on a local entry's age"} with each related setting
   * written as {@code names} gives it.
   */
  public String requirement(UnaryOperator<String> names) {
    return fill(requirement, List.of(related), names);
  }

  /** A value as the message shows it: text in quotes, anything else as its {@code toString()}. */
  private static String show(@Nullable Object value) {
    return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
  }

  private static String describe(String setting, @Nullable Object value, String requirement) {
    return setting + " " + requirement + ", but was " + show(value);
  }

  private static String fill(String requirement, List<String> related, UnaryOperator<String> names) {
    String out = requirement;
    for (int i = 0; i < related.size(); i++) {
      out = out.replace("{" + i + "}", names.apply(related.get(i)));
    }
    return out;
  }
}
