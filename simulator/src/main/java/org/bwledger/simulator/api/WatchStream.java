package org.bwledger.simulator.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * A response body written a chunk at a time as events come, one write at a time, without holding a
 * thread between them: a watch. Its headers go out at once, so the client knows the watch is open
 * before the first event. It ends when told to, when the client goes, or when the client reads so
 * slowly that too many chunks wait, as an API server drops a watcher that cannot keep up.
 */
final class WatchStream extends IteratingCallback {

  /** Chunks that may wait for a slow client before its watch is dropped. */
  static final int MAX_WAITING = 10_000;

  private final Response response;
  private final Callback done;
  private final Runnable onEnd;
  private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
  private boolean ending;
  private boolean lastWritten;

  /**
   * @param done the request's callback, completed when the stream ends
   * @param onEnd what to release when it ends, however it ends
   */
  WatchStream(Response response, Callback done, Runnable onEnd) {
    this.response = response;
    this.done = done;
    this.onEnd = onEnd;
    waiting.add(BufferUtil.EMPTY_BUFFER); // commits the headers
  }

  /** Queues a chunk. */
  void send(byte[] chunk) {
    boolean tooSlow;
    synchronized (this) {
      if (ending) {
        return;
      }
      waiting.add(ByteBuffer.wrap(chunk));
      tooSlow = waiting.size() > MAX_WAITING;
    }
    if (tooSlow) {
      abort(new IOException("the client reads too slowly: more than " + MAX_WAITING + " events wait"));
    } else {
      iterate();
    }
  }

  /** Ends the stream once what is queued is written. */
  void end() {
    synchronized (this) {
      ending = true;
    }
    iterate();
  }

  @Override
  protected Action process() {
    ByteBuffer chunk;
    boolean last;
    synchronized (this) {
      if (lastWritten) {
        return Action.SUCCEEDED;
      }
      chunk = waiting.poll();
      if (chunk == null && !ending) {
        return Action.IDLE;
      }
      last = ending && waiting.isEmpty();
      lastWritten = last;
    }
    response.write(last, chunk != null ? chunk : BufferUtil.EMPTY_BUFFER, this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleteSuccess() {
    onEnd.run();
    done.succeeded();
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    onEnd.run();
    done.failed(cause);
  }
}
