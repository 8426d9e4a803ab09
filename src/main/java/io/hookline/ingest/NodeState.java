package io.hookline.ingest;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared by every verticle of a node: whether it is draining, and how many webhooks are in flight. */
public final class NodeState {
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final String nodeId;

  public NodeState(String nodeId) {
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  public boolean draining() {
    return draining.get();
  }

  public void startDraining() {
    draining.set(true);
  }

  public int inFlight() {
    return inFlight.get();
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestEnded() {
    inFlight.decrementAndGet();
  }
}
