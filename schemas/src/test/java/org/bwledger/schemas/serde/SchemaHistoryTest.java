package org.bwledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SchemaHistoryTest {

  static final List<Class<? extends SpecificRecord>> records = SerdeRecords.ALL;

  @ParameterizedTest
  @FieldSource("records")
  void currentSchemaIsTheLatestReleasedVersion(Class<? extends SpecificRecord> type) {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> released = SchemaHistory.released(current.getName());

    assertThat(released)
        .as("released versions of %s (a changed schema needs a new file %s)",
            current.getName(), SchemaHistory.resourcePath(current.getName(), released.size() + 1))
        .isNotEmpty();
    assertThat(SchemaNormalization.toParsingForm(released.get(released.size() - 1)))
        .isEqualTo(SchemaNormalization.toParsingForm(current));
  }

  @ParameterizedTest
  @FieldSource("records")
  void everyReleasedVersionIsReadableByTheCurrentSchema(Class<? extends SpecificRecord> type) {
    Schema current = SpecificData.get().getSchema(type);

    for (Schema writer : SchemaHistory.released(current.getName())) {
      assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getType())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }
}
