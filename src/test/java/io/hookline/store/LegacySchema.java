package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A schema exactly as Hookline wrote it before Flyway: the same SQL (migrations 1..version, the
 * versioned files of today) applied in order, recorded in its own {@code schema_version} table.
 */
final class LegacySchema {
  private LegacySchema() {}

  static Future<Void> create(Pool pool, String schema, int version) {
    StringBuilder sql = new StringBuilder("CREATE SCHEMA IF NOT EXISTS " + schema + ";\n"
        + "CREATE TABLE " + schema + ".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());\n");
    for (int v = 1; v <= version; v++) {
      sql.append(migration(v).replace("${flyway:defaultSchema}", schema)).append(";\n");
      sql.append("INSERT INTO ").append(schema).append(".schema_version (version) VALUES (").append(v).append(");\n");
    }
    return pool.query(sql.toString()).execute().mapEmpty();
  }

  /** How many versioned migration files the release holds. */
  static int migrationFiles() {
    return files().length;
  }

  private static String migration(int version) {
    for (Path f : files()) {
      if (f.getFileName().toString().startsWith("V" + version + "__")) {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalArgumentException("no migration V" + version);
  }

  private static Path[] files() {
    try (Stream<Path> list = Files.list(Path.of(LegacySchema.class.getResource("/db/migration").toURI()))) {
      return list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).toArray(Path[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
