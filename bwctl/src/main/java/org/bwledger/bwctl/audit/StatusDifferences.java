package org.bwledger.bwctl.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where a Bandwidth status someone shows differs from the one the log folds to, field by field, as
 * a person reads it: {@code used.network.ulMbps: 330, the log says 300}. Reservations are matched by
 * pod uid, so one pod missing is one line, not a shifted list.
 */
final class StatusDifferences {

  private StatusDifferences() {}

  /** Every difference of {@code shown} from {@code folded}, each a line. */
  static List<String> of(JsonNode folded, JsonNode shown) {
    List<String> differences = new ArrayList<>();
    compare("", folded, shown, differences);
    return differences;
  }

  private static void compare(String path, JsonNode folded, JsonNode shown, List<String> out) {
    if (path.equals("reservations") && folded.isArray() && shown.isArray()) {
      compareReservations(folded, shown, out);
    } else if (folded.isObject() && shown.isObject()) {
      TreeSet<String> fields = new TreeSet<>();
      folded.fieldNames().forEachRemaining(fields::add);
      shown.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        compare(path.isEmpty() ? field : path + "." + field, folded.path(field), shown.path(field), out);
      }
    } else if (folded.isNumber() && shown.isNumber()) {
      // The API's JSON parses to ints, the fold's to longs: the same number either way.
      if (folded.decimalValue().compareTo(shown.decimalValue()) != 0) {
        out.add(path + ": " + text(shown) + ", the log says " + text(folded));
      }
    } else if (!folded.equals(shown)) {
      out.add(path + ": " + text(shown) + ", the log says " + text(folded));
    }
  }

  private static void compareReservations(JsonNode folded, JsonNode shown, List<String> out) {
    Map<String, JsonNode> expected = byPod(folded);
    Map<String, JsonNode> actual = byPod(shown);
    for (var reservation : expected.entrySet()) {
      JsonNode other = actual.get(reservation.getKey());
      String pod = reservation.getValue().path("namespace").asText() + "/" + reservation.getValue().path("podName")
          .asText();
      if (other == null) {
        out.add("reservations: pod " + pod + " missing, the log holds it");
      } else {
        compare("reservations[" + pod + "]", reservation.getValue(), other, out);
      }
    }
    for (var reservation : actual.entrySet()) {
      if (!expected.containsKey(reservation.getKey())) {
        out.add("reservations: pod " + reservation.getValue().path("namespace").asText() + "/"
            + reservation.getValue().path("podName").asText() + " held, the log does not hold it");
      }
    }
  }

  private static Map<String, JsonNode> byPod(JsonNode reservations) {
    Map<String, JsonNode> byPod = new TreeMap<>();
    for (Iterator<JsonNode> all = reservations.elements(); all.hasNext(); ) {
      JsonNode reservation = all.next();
      byPod.put(reservation.path("podUid").asText(), reservation);
    }
    return byPod;
  }

  private static String text(JsonNode value) {
    return value.isMissingNode() ? "nothing" : value.toString();
  }
}
