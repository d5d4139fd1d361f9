package org.bwledger.runtime.http;

/**
 * Answers HTTP calls: one route of a process's API, a probe, or a whole {@link Router}. It runs on a
 * thread of its listener's bounded pool and may block.
 */
@FunctionalInterface
public interface Endpoint {

  /**
   * The reply to {@code call}.
   *
   * @throws Exception an unexpected failure, answered 500 without its details
   */
  Reply handle(Call call) throws Exception;
}
