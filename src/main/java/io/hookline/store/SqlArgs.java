package io.hookline.store;

import io.vertx.sqlclient.Tuple;

/** Positional parameters for SQL assembled from optional filters: {@code $n} follows the values added. */
final class SqlArgs {
  final Tuple tuple = Tuple.tuple();

  /** Adds a value and returns its placeholder. */
  String add(Object value) {
    tuple.addValue(value);
    return "$" + tuple.size();
  }
}
