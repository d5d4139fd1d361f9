package org.bwledger.bwctl.replay;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Reads a source on a second thread, a bounded number of items ahead of the one reading it: replay
 * decodes (inflates and Avro, or JSON) on one core while it folds on the other. At most {@code
 * batches} batches of {@code batchSize} items wait, so memory stays bounded whatever the source's
 * length. What the source throws is thrown to the reader where the source threw it, after every
 * item read before.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

  /** What the reading thread hands over: items, then the end or what went wrong. */
  private record Batch<T>(List<T> items, RuntimeException failure, boolean last) {}

  private final BlockingQueue<Batch<T>> ready;
  private final Thread reading;
  private Iterator<T> current = List.<T>of().iterator();
  private Batch<T> batch = new Batch<>(List.of(), null, false);

  /** Reads ahead of {@code source}. */
  ReadAhead(Iterator<T> source, int batchSize, int batches) {
    this(source::forEachRemaining, batchSize, batches);
  }

  /** Reads ahead of a source that hands each of its items, in order, to the sink it is given. */
  ReadAhead(Consumer<Consumer<T>> source, int batchSize, int batches) {
    this.ready = new ArrayBlockingQueue<>(batches);
    this.reading = new Thread(() -> read(source, batchSize), "replay-read-ahead");
    reading.setDaemon(true);
    reading.start();
  }

  private void read(Consumer<Consumer<T>> source, int batchSize) {
    Batching batching = new Batching(batchSize);
    try {
      try {
        source.accept(batching);
        ready.put(new Batch<>(batching.items, null, true));
      } catch (Closed closed) {
        throw closed.getCause();
      } catch (RuntimeException e) {
        ready.put(new Batch<>(batching.items, e, true));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed before the end: nobody reads on
    }
  }

  /** Gathers the source's items into batches and hands each on as it fills. */
  private final class Batching implements Consumer<T> {
    private final int size;
    private List<T> items;

    Batching(int size) {
      this.size = size;
      this.items = new ArrayList<>(size);
    }

    @Override
    public void accept(T item) {
      items.add(item);
      if (items.size() == size) {
        try {
          ready.put(new Batch<>(items, null, false));
        } catch (InterruptedException e) {
          throw new Closed(e);
        }
        items = new ArrayList<>(size);
      }
    }
  }

  /** Carries the interruption of a close out through the source, which takes no checked exception. */
  private static final class Closed extends RuntimeException {
    Closed(InterruptedException cause) {
      super(cause);
    }

    @Override
    public synchronized InterruptedException getCause() {
      return (InterruptedException) super.getCause();
    }
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (batch.last()) {
        if (batch.failure() != null) {
          RuntimeException failure = batch.failure();
          batch = new Batch<>(List.of(), null, true);
          throw failure;
        }
        return false;
      }
      try {
        batch = ready.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading ahead", e);
      }
      current = batch.items().iterator();
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  /** Stops the reading thread, if it has not reached the end. */
  @Override
  public void close() {
    reading.interrupt();
  }
}
