package org.bwledger.bwctl.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.bwledger.projector.extender.Scoring;

/**
 * The policies replay can place pods by: {@value #AS_RECORDED} (where the trace put them), the
 * extender's scorings, {@code first-fit} and {@code spread}, then any {@link PlacementPolicy} found
 * on the class path.
 */
public final class PlacementPolicies {

  /** Not a policy: the pods go where the trace recorded them. */
  public static final String AS_RECORDED = "as-recorded";

  private final Map<String, PlacementPolicy> byName = new LinkedHashMap<>();

  private PlacementPolicies() {}

  /** The built-in policies and those on the class path; a built-in name cannot be taken. */
  public static PlacementPolicies available() {
    PlacementPolicies policies = new PlacementPolicies();
    for (Scoring scoring : Scoring.values()) {
      policies.add(new ExtenderScoring(scoring));
    }
    policies.add(new FirstFit());
    policies.add(new Spread());
    ServiceLoader.load(PlacementPolicy.class).forEach(policies::add);
    return policies;
  }

  private void add(PlacementPolicy policy) {
    if (!policy.name().equals(AS_RECORDED)) {
      byName.putIfAbsent(policy.name(), policy);
    }
  }

  /**
   * The plan for a policy's name.
   *
   * @throws IllegalArgumentException naming the policies there are, when there is none of that name
   */
  public Scheduling.Plan plan(String name, long seed) {
    if (name.equals(AS_RECORDED)) {
      return new Scheduling.Plan(null, seed);
    }
    PlacementPolicy policy = Optional.ofNullable(byName.get(name)).orElseThrow(() -> new IllegalArgumentException(
        "no placement policy '" + name + "'; there are " + String.join(", ", names())));
    return new Scheduling.Plan(policy, seed);
  }

  /** Every name a plan can be made of, {@value #AS_RECORDED} first. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    names.add(AS_RECORDED);
    names.addAll(byName.keySet());
    return names;
  }
}
