package org.bwledger.runtime.auth;

/** How a process checks its callers. */
public enum AuthMode {
  /** Bearer tokens, checked with TokenReviews and SubjectAccessReviews. */
  kubernetes,
  /** Nobody is checked: allowed only where every listener is on 127.0.0.1 ({@code bwctl run}). */
  none
}
