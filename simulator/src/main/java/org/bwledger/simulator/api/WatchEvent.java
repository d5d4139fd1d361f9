package org.bwledger.simulator.api;

/**
 * One change as a watch sends it: {@code ADDED}, {@code MODIFIED} or {@code DELETED}, and the object
 * after it (before it, for a deletion).
 */
record WatchEvent(String type, String object) {}
