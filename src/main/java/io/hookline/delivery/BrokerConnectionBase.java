package io.hookline.delivery;

/** What every broker connection keeps for the health body: its kind, where it connects, why it is down. */
abstract class BrokerConnectionBase implements BrokerConnection {
  private final String kind;
  private final String endpoint;
  /** Null while up; set by the client's callbacks (any thread). */
  protected volatile String lastError;

  BrokerConnectionBase(String kind, String endpoint, String initialError) {
    this.kind = kind;
    this.endpoint = endpoint;
    this.lastError = initialError;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String endpoint() {
    return endpoint;
  }

  @Override
  public boolean up() {
    return lastError == null;
  }

  @Override
  public final String lastError() {
    return lastError;
  }
}
