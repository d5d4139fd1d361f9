package org.bwledger.schemas.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for generated Avro records in Avro's single-object encoding: each payload starts
 * with the fingerprint of its writer schema, so no registry server is needed. The decoder knows every
 * released version of the schema ({@link SchemaHistory}) and resolves old payloads to the current
 * classes.
 *
 * <p>{@code null} maps to {@code null} both ways (Kafka tombstones).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private static boolean generatedRecordsTrusted;

  static {
    trustGeneratedRecords();
  }

  /**
   * Lets Avro instantiate bwledger's generated records, which it refuses for classes it was not told to
   * trust. Anything that reads them without this serde (an Avro file, say) calls it first; once is enough.
   */
  public static synchronized void trustGeneratedRecords() {
    if (generatedRecordsTrusted) {
      return;
    }
    ClassSecurityPredicate trusted = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            trusted, type -> type.getPackageName().startsWith("org.bwledger.schemas.")));
    generatedRecordsTrusted = true;
  }

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final String recordName;

  private AvroSerde(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema current = model.getSchema(type);
    this.recordName = current.getFullName();
    this.encoder = new BinaryMessageEncoder<>(model, current);
    SchemaStore.Cache released = new SchemaStore.Cache();
    SchemaHistory.released(current.getName()).forEach(released::addSchema);
    this.decoder = new BinaryMessageDecoder<>(model, current, released);
  }

  /** A serde for the generated record class {@code type}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type);
  }

  /** Encodes {@code record}; {@code null} gives {@code null}. */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes {@code bytes} written by any released version of the schema; {@code null} gives
   * {@code null}.
   *
   * @throws SerializationException when the bytes are not a record of this type
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode " + recordName + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
