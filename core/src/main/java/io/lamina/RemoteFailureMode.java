package io.lamina;

/** What a read does when the remote tier cannot be reached within its timeout. */
public enum RemoteFailureMode {

  /** Fail the call with a {@link TierUnavailableException}. */
  FAIL,

  /**
   * Call the loader and return its value without caching it in either tier (a value loaded while the remote
   * tier is unreachable cannot be guarded against concurrent writes). Calls without a loader see a miss.
   */
  BYPASS
}
