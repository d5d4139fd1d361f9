package org.bwledger.bwctl.options;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A Kubernetes label selector, as {@code kubectl -l} takes it: requirements joined by commas, each
 * {@code key=value} ({@code ==} too), {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)},
 * {@code key} (the label is set) or {@code !key} (it is not). As in Kubernetes, {@code !=} and
 * {@code notin} also match objects without the label.
 *
 * @param text the selector as given, which the API server is sent
 */
public record LabelSelector(String text, List<Requirement> requirements) {

  /** How a requirement compares a label. */
  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  /** One requirement on one label. */
  public record Requirement(String key, Operator operator, Set<String> values) {

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  // a qualified name, optionally prefixed by a DNS subdomain and '/'; values are names or empty
  private static final String KEY = "(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?";
  private static final String VALUE = "(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
  private static final Pattern COMPARISON = Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")");
  private static final Pattern SET = Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)");
  private static final Pattern EXISTENCE = Pattern.compile("(!?)\\s*(" + KEY + ")");
  private static final Pattern SET_VALUE = Pattern.compile(VALUE);

  /**
   * Reads a selector.
   *
   * @throws IllegalArgumentException naming the requirement that is not one
   */
  public static LabelSelector parse(String text) {
    List<Requirement> requirements = new ArrayList<>();
    for (String part : text.isBlank() ? List.<String>of() : split(text)) {
      String requirement = part.strip();
      Matcher m;
      if ((m = COMPARISON.matcher(requirement)).matches()) {
        requirements.add(new Requirement(m.group(1), m.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS,
            Set.of(m.group(3))));
      } else if ((m = SET.matcher(requirement)).matches()) {
        requirements.add(new Requirement(m.group(1), m.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
            values(m.group(3), requirement)));
      } else if ((m = EXISTENCE.matcher(requirement)).matches()) {
        requirements.add(new Requirement(m.group(2), m.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST,
            Set.of()));
      } else {
        throw new IllegalArgumentException("'" + requirement + "' is not a label requirement (key=value, key!=value, "
            + "key in (a,b), key notin (a,b), key or !key)");
      }
    }
    return new LabelSelector(text, List.copyOf(requirements));
  }

  /** Whether an object with these labels (null: none) is selected. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> present = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(requirement -> requirement.matches(present));
  }

  @Override
  public String toString() {
    return text;
  }

  /** The requirements: split at the commas outside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static Set<String> values(String list, String requirement) {
    Set<String> values = new LinkedHashSet<>();
    for (String value : list.split(",", -1)) {
      if (!SET_VALUE.matcher(value.strip()).matches()) {
        throw new IllegalArgumentException("'" + value.strip() + "' in '" + requirement + "' is not a label value");
      }
      values.add(value.strip());
    }
    return values;
  }

  /** Reads {@code --selector}. */
  public static final class Converter implements ITypeConverter<LabelSelector> {
    @Override
    public LabelSelector convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
