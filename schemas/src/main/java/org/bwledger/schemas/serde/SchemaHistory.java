package org.bwledger.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record's schema, so that bytes written by any release decode forever.
 *
 * <p>Released versions live on the classpath at {@code org/bwledger/schemas/history/<Record>/v<N>.avsc},
 * numbered from 1 without gaps. Releasing a schema change means adding the next file; old files never
 * change.
 */
public final class SchemaHistory {

  private SchemaHistory() {}

  /** The released schemas of {@code recordName} (a simple name, e.g. {@code ClusterEvent}), oldest first. */
  public static List<Schema> released(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String path = resourcePath(recordName, version);
      try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + path, e);
      }
    }
  }

  static String resourcePath(String recordName, int version) {
    return "org/bwledger/schemas/history/" + recordName + "/v" + version + ".avsc";
  }
}
