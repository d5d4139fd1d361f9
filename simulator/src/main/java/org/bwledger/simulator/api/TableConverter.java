package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code kubectl get} shows one kind of object: the columns of the server-side {@code Table}
 * and, for each, a cell computed from the object, as an API server's table convertor does.
 *
 * @param columns the column definitions, the name first
 * @param cells one per column, in the same order
 */
record TableConverter(List<Column> columns, List<Cell> cells) {

  /**
   * A column, as {@code meta.k8s.io/v1} {@code TableColumnDefinition} has it.
   *
   * @param type an OpenAPI type: string, integer, number, boolean or date
   * @param format {@code name} for the column that names the object, else empty
   * @param priority 0 for the columns always shown, more for those of {@code -o wide}
   */
  record Column(String name, String type, String format, String description, int priority) {}

  /** One cell: a string, a number, a boolean, or null for none ({@code <none>} in kubectl). */
  @FunctionalInterface
  interface Cell {
    Object of(JsonNode object, Instant now);
  }

  TableConverter {
    if (columns.size() != cells.size()) {
      throw new IllegalArgumentException(columns.size() + " columns but " + cells.size() + " cells");
    }
    columns = List.copyOf(columns);
    cells = List.copyOf(cells);
  }

  /** The cells of {@code object}'s row. */
  List<Object> row(JsonNode object, Instant now) {
    List<Object> row = new ArrayList<>(cells.size());
    for (Cell cell : cells) {
      row.add(cell.of(object, now));
    }
    return row;
  }

  /** Builds a converter column by column. */
  static final class Builder {
    private final List<Column> columns = new ArrayList<>();
    private final List<Cell> cells = new ArrayList<>();

    /** Starts with the Name column, as every table does. */
    Builder() {
      columns.add(new Column("Name", "string", "name",
          "Name must be unique within a namespace. It is required when creating resources.", 0));
      cells.add((object, now) -> object.path("metadata").path("name").asText());
    }

    Builder column(String name, String type, String description, int priority, Cell cell) {
      columns.add(new Column(name, type, "", description, priority));
      cells.add(cell);
      return this;
    }

    TableConverter build() {
      return new TableConverter(columns, cells);
    }
  }
}
