package org.bwledger.projector.extender;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The candidates as a whole {@code NodeList} ({@code nodeCacheCapable: false}): each node's name,
 * and each node and the list's other fields as the JSON text that came, so filter returns the
 * passing nodes unchanged. Text, not a tree: a list of 2,000 nodes is read once, for the names, and
 * written back by copying.
 *
 * <p>Read it with {@link #SOURCE} set to the bytes being read: the text is cut from them.
 *
 * @param fields the list's fields other than {@code items} ({@code metadata}, …), each value as JSON
 * @param items the nodes, in the order they came
 */
@JsonDeserialize(using = CandidateNodes.Reader.class)
@JsonSerialize(using = CandidateNodes.Writer.class)
public record CandidateNodes(Map<String, String> fields, List<Item> items) {

  /** The attribute of a read that holds the bytes being read. */
  public static final String SOURCE = "bwledger.candidate-nodes.source";

  /** One node: its {@code metadata.name}, and the object as it came. */
  public record Item(String name, String json) {}

  /** The nodes' names, in order. */
  public List<String> names() {
    return items.stream().map(Item::name).toList();
  }

  /** The same list with only the named nodes. */
  public CandidateNodes only(Set<String> names) {
    return new CandidateNodes(fields, items.stream().filter(item -> names.contains(item.name())).toList());
  }

  /** Reads a NodeList, noting each node's name and where its text starts and ends. */
  static final class Reader extends JsonDeserializer<CandidateNodes> {

    @Override
    public CandidateNodes deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!(ctxt.getAttribute(SOURCE) instanceof byte[] source)) {
        throw new IllegalStateException("CandidateNodes are read from bytes given as the attribute " + SOURCE);
      }
      if (!p.isExpectedStartObjectToken()) {
        return (CandidateNodes) ctxt.handleUnexpectedToken(CandidateNodes.class, p);
      }
      Map<String, String> fields = new LinkedHashMap<>();
      List<Item> items = new ArrayList<>();
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        if (!field.equals("items")) {
          fields.put(field, text(source, p));
        } else if (value == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(item(source, p, ctxt));
          }
        } else if (value != JsonToken.VALUE_NULL) {
          ctxt.reportInputMismatch(CandidateNodes.class, "a NodeList's items must be an array, not %s", value);
        }
      }
      return new CandidateNodes(fields, items);
    }

    /** One node, walked for {@code metadata.name} and cut from the source. */
    private static Item item(byte[] source, JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        ctxt.reportInputMismatch(CandidateNodes.class, "a NodeList item must be a Node object, not %s",
            p.currentToken());
      }
      int start = (int) p.currentTokenLocation().getByteOffset();
      String name = "";
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        if (p.nextToken() == JsonToken.START_OBJECT && field.equals("metadata")) {
          for (String inner = p.nextFieldName(); inner != null; inner = p.nextFieldName()) {
            if (p.nextToken() == JsonToken.VALUE_STRING && inner.equals("name")) {
              name = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      return new Item(name, cut(source, start, p));
    }

    /** The current value's text: from its first token to the end of its last. */
    private static String text(byte[] source, JsonParser p) throws IOException {
      int start = (int) p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      p.finishToken();
      return cut(source, start, p);
    }

    private static String cut(byte[] source, int start, JsonParser p) {
      int end = (int) p.currentLocation().getByteOffset();
      return new String(source, start, end - start, StandardCharsets.UTF_8);
    }
  }

  /** Writes the list back from its text. */
  static final class Writer extends JsonSerializer<CandidateNodes> {

    @Override
    public void serialize(CandidateNodes list, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeStartObject();
      for (Map.Entry<String, String> field : list.fields().entrySet()) {
        gen.writeFieldName(field.getKey());
        gen.writeRawValue(field.getValue());
      }
      gen.writeArrayFieldStart("items");
      for (Item item : list.items()) {
        gen.writeRawValue(item.json());
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
  }
}
