package io.hookline.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Versioned migrations ({@code src/main/resources/db/migration/V<n>__<what>.sql}) applied by Flyway at
 * start-up on a worker thread (Flyway is JDBC: blocking). A schema written by Hookline before Flyway
 * (its own {@code schema_version} table) is adopted: Flyway baselines at that version and applies the
 * rest. Add a migration as the next {@code V<n>} file; never edit one that has shipped. SQL names the
 * schema as {@code ${flyway:defaultSchema}} so each test can migrate its own.
 */
public final class Schema {
  /** Flyway's history table, beside the data in the migrated schema. */
  public static final String HISTORY_TABLE = "flyway_schema_history";
  /** The newest migration file's version (SchemaTest checks it): a schema already there starts without Flyway. */
  public static final int LATEST_VERSION = 15;

  private Schema() {}

  /** Migrates {@code schema} of the database at {@code postgresUrl} (a {@code postgresql://} URI). */
  public static Future<Void> migrate(Vertx vertx, String postgresUrl, String schema) {
    // Most starts find the schema up to date: one non-blocking query then, and Flyway and JDBC are not even
    // loaded (measured on this shared machine: they added seconds to a node's start under load).
    return PgConnection.connect(vertx, PgConnectOptions.fromUri(postgresUrl))
        .compose(conn -> conn.query("SELECT coalesce(max(version::int), 0) FROM " + schema + "." + HISTORY_TABLE
                + " WHERE success AND version IS NOT NULL").execute()
            .map(rows -> rows.iterator().next().getInteger(0))
            .otherwise(0)
            .eventually(conn::close))
        .otherwise(0)
        .compose(version -> version >= LATEST_VERSION ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              migrateBlocking(postgresUrl, schema);
              return null;
            }, false));
  }

  /** Blocking: for worker threads and tools only. */
  public static void migrateBlocking(String postgresUrl, String schema) throws SQLException {
    DataSource db = dataSource(postgresUrl);
    // The same session lock as the migrations before Flyway took: a node of the previous release starting
    // now waits too, and the adoption check below cannot race another node's baseline.
    try (Connection conn = db.getConnection()) {
      try (PreparedStatement lock = conn.prepareStatement(
          "SELECT pg_advisory_lock(hashtext('hookline.migrate.' || current_database() || '.' || ?))")) {
        lock.setString(1, schema);
        lock.execute();
      }
      try {
        FluentConfiguration flyway = Flyway.configure(Schema.class.getClassLoader())
            .dataSource(db)
            .schemas(schema).defaultSchema(schema).createSchemas(true).table(HISTORY_TABLE)
            .locations("classpath:db/migration");
        Integer legacy = legacyVersion(conn, schema);
        if (legacy != null) {
          flyway.baselineOnMigrate(true).baselineVersion(String.valueOf(legacy))
              .baselineDescription("adopted from the pre-Flyway schema_version");
        }
        flyway.load().migrate();
      } finally {
        try (PreparedStatement unlock = conn.prepareStatement(
            "SELECT pg_advisory_unlock(hashtext('hookline.migrate.' || current_database() || '.' || ?))")) {
          unlock.setString(1, schema);
          unlock.execute();
        }
      }
    }
  }

  /** The version a pre-Flyway Hookline left, or null (a new schema, or one Flyway already keeps). */
  private static Integer legacyVersion(Connection conn, String schema) throws SQLException {
    try (PreparedStatement q = conn.prepareStatement("SELECT to_regclass(? || '.schema_version') IS NOT NULL"
        + " AND to_regclass(? || '." + HISTORY_TABLE + "') IS NULL")) {
      q.setString(1, schema);
      q.setString(2, schema);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return null;
        }
      }
    }
    try (PreparedStatement q = conn.prepareStatement("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version");
        ResultSet rs = q.executeQuery()) {
      rs.next();
      int version = rs.getInt(1);
      return version == 0 ? null : version;
    }
  }

  /** Hookline's {@code postgresql://} URI as a JDBC data source (the password stays out of any URL string). */
  static DataSource dataSource(String postgresUrl) {
    PgConnectOptions o = PgConnectOptions.fromUri(postgresUrl);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {o.getHost()});
    ds.setPortNumbers(new int[] {o.getPort()});
    ds.setDatabaseName(o.getDatabase());
    ds.setUser(o.getUser());
    if (o.getPassword() != null) {
      ds.setPassword(o.getPassword());
    }
    ds.setSslMode(o.getSslMode() == null ? SslMode.DISABLE.value : o.getSslMode().value);
    ds.setApplicationName("hookline-migrate");
    return ds;
  }
}
