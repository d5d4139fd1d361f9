package org.bwledger.bwctl.export;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.serde.AvroSerde;

/**
 * An Avro container file of cluster events: the writer's schema travels in the file, so any later
 * bwledger reads it with schema resolution, as it reads old events from the log.
 */
public final class EventFile {

  /** The file's metadata entry holding the exported log's partition count. */
  private static final String PARTITIONS_META = "bwledger.partitions";

  private EventFile() {}

  /** Whether the file starts as an Avro container file does. */
  public static boolean isEventFile(Path file) throws IOException {
    byte[] magic = DataFileConstants.MAGIC;
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    }
  }

  /**
   * Where the file is cut short or damaged, if it is: Avro's reader takes a cut at the end of a file
   * for its end, so the blocks are walked here, each checked to be whole and to end with the file's
   * sync marker.
   *
   * @return what is wrong and after how many events, or empty when every block is whole
   */
  public static Optional<String> damage(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      BinaryDecoder blocks = DecoderFactory.get().binaryDecoder(in, null);
      blocks.skipFixed(DataFileConstants.MAGIC.length);
      for (long entries = blocks.readMapStart(); entries != 0; entries = blocks.mapNext()) {
        for (long i = 0; i < entries; i++) {
          blocks.skipString();
          blocks.skipBytes();
        }
      }
      byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
      blocks.readFixed(sync);
      long events = 0;
      byte[] marker = new byte[DataFileConstants.SYNC_SIZE];
      for (int block = 1; !blocks.isEnd(); block++) {
        long count;
        try {
          count = blocks.readLong();
          blocks.skipFixed(Math.toIntExact(blocks.readLong()));
          blocks.readFixed(marker);
        } catch (EOFException | ArithmeticException e) {
          return Optional.of("after event " + events + ": the file is cut short in block " + block);
        }
        if (!Arrays.equals(marker, sync)) {
          return Optional.of("after event " + events + ": block " + block + " is damaged (its sync marker is wrong)");
        }
        events += count;
      }
      return Optional.empty();
    } catch (EOFException e) {
      return Optional.of("the file is cut short in its header");
    }
  }

  /**
   * Writes events to a new file, in the order given, noting how many partitions the log had: replay
   * folds as a ledger on that many partitions does.
   */
  public static Writer create(Path file, int partitions) throws IOException {
    DataFileWriter<ClusterEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ClusterEvent.class));
    writer.setCodec(CodecFactory.deflateCodec(6));
    writer.setMeta(PARTITIONS_META, partitions);
    writer.create(ClusterEvent.getClassSchema(), file.toFile());
    return new Writer(writer);
  }

  /** Reads the events of a file's bytes in order; close it when done. */
  public static Reader open(InputStream file) throws IOException {
    AvroSerde.trustGeneratedRecords();
    return new Reader(new DataFileStream<>(file, new SpecificDatumReader<>(ClusterEvent.class)));
  }

  /** Appends events to a file. */
  public static final class Writer implements AutoCloseable {
    private final DataFileWriter<ClusterEvent> writer;

    private Writer(DataFileWriter<ClusterEvent> writer) {
      this.writer = writer;
    }

    public void append(ClusterEvent event) throws IOException {
      writer.append(event);
    }

    /** Ends the current block: what is appended so far is in the file, whole. */
    public void flush() throws IOException {
      writer.flush();
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  /** The events of a file, in order. */
  public static final class Reader implements Iterable<ClusterEvent>, AutoCloseable {
    private final DataFileStream<ClusterEvent> reader;

    private Reader(DataFileStream<ClusterEvent> reader) {
      this.reader = reader;
    }

    /** How many partitions the exported log had; 1 for a file that does not say. */
    public int partitions() {
      String noted = reader.getMetaString(PARTITIONS_META);
      return noted == null ? 1 : Integer.parseInt(noted);
    }

    @Override
    public Iterator<ClusterEvent> iterator() {
      return reader.iterator();
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
