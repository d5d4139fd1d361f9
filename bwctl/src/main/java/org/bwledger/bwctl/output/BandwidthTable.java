package org.bwledger.bwctl.output;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.schemas.state.NodeBandwidth;

/** Node states as {@code kubectl get bandwidths} prints them: one row per node, Mbit/s, UL/DL. */
public final class BandwidthTable {

  /** The columns, as the CRD's printer columns name them. */
  public static final List<String> HEADER = List.of(
      "NAME", "NET-CAPACITY", "NET-USED", "NET-REMAINING", "LOCAL-USED", "RESERVATIONS", "OVERSUBSCRIBED");

  private BandwidthTable() {}

  /**
   * The table of the given states, columns padded as kubectl pads them (three spaces between); with
   * a MEASURED column (Mbit/s the interfaces carried) when any node's traffic is measured.
   */
  public static String render(Collection<NodeBandwidth> nodes) {
    boolean measured = nodes.stream().anyMatch(n -> n.getTraffic() != null);
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(HEADER);
    if (measured) {
      header.add("MEASURED");
    }
    rows.add(header);
    for (NodeBandwidth n : nodes) {
      List<String> row = new ArrayList<>(List.of(
          n.getNode(),
          n.getCapacity().getNetworkUlMbps() + "/" + n.getCapacity().getNetworkDlMbps(),
          n.getUsed().getNetworkUlMbps() + "/" + n.getUsed().getNetworkDlMbps(),
          n.getRemaining().getNetworkUlMbps() + "/" + n.getRemaining().getNetworkDlMbps(),
          n.getUsed().getLocalUlMbps() + "/" + n.getUsed().getLocalDlMbps(),
          String.valueOf(n.getReservations().size()),
          n.getOversubscribed().isEmpty() ? "False" : "True"));
      if (measured) {
        row.add(n.getTraffic() == null ? "<none>" : BandwidthObjects.measured(n));
      }
      rows.add(row);
    }
    return pad(rows);
  }

  /** Rows of cells as kubectl prints them: each column as wide as its widest cell, three spaces between. */
  public static String pad(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    rows.forEach(row -> {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    });
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        out.append(cell);
        if (c < row.size() - 1) {
          out.append(" ".repeat(widths[c] - cell.length() + 3));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }
}
