package io.hookline.node;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared by every verticle of a node: whether it is draining, and how many webhooks are in flight. */
public final class NodeState {
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final String nodeId;
  /** nanoTime of the last webhook refused because the node drains (written only while draining). */
  private volatile long lastDrainRefusal = System.nanoTime();
  private volatile int httpPort;
  private volatile int managementPort;

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
    lastDrainRefusal = System.nanoTime();
    draining.set(true);
  }

  /** Nanoseconds since a webhook was last refused with 503 because this node drains. */
  public long nanosSinceDrainRefusal() {
    return System.nanoTime() - lastDrainRefusal;
  }

  public void drainRefused() {
    lastDrainRefusal = System.nanoTime();
  }

  /** The public port as bound (port 0 in the config = any free port). */
  public int httpPort() {
    return httpPort;
  }

  /** The management port as bound. */
  public int managementPort() {
    return managementPort;
  }

  public void httpListening(int port) {
    httpPort = port;
  }

  public void managementListening(int port) {
    managementPort = port;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  public void requestEnded() {
    inFlight.decrementAndGet();
  }
}
