package dev.tokenledger.cli;

import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * Which warehouse a command reads or writes: an external PostgreSQL ({@code --jdbc-url}), else the embedded one the
 * last demo left under {@code <data-dir>/warehouse} — used where it already runs (a demo still going), started for
 * the command and stopped after otherwise.
 */
public final class WarehouseOptions {

    /** Where the demo keeps its warehouse, under the data directory. */
    static final String WAREHOUSE_DIR = "warehouse";
    private static final String PGDATA = "pgdata";
    private static final int EXTERNAL_LOGIN_TIMEOUT_SECONDS = 10;
    /** The embedded server answers on loopback at once when it runs; waiting longer only delays starting it. */
    private static final int PROBE_LOGIN_TIMEOUT_SECONDS = 3;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = {"An external PostgreSQL warehouse, e.g. jdbc:postgresql://host:5432/finops?user=u&password=p.",
                    "Migrations are applied first. Default: the embedded warehouse in --data-dir."})
    String jdbcUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".tokenledger",
            description = "Where the demo left its state; the warehouse is DIR/warehouse (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** There is no warehouse to open: no --jdbc-url and no demo has created one in the data directory. */
    static final class NoWarehouseException extends Exception {
        NoWarehouseException(String message) {
            super(message);
        }
    }

    /** A warehouse ready for queries; closing stops it when this command started it. */
    interface OpenWarehouse extends AutoCloseable {
        DataSource dataSource();

        /** Where the data is, for messages; never shows a password. */
        String describe();

        @Override
        void close();
    }

    /**
     * Opens the warehouse these options name and brings it to the current schema.
     *
     * @throws NoWarehouseException     when there is no --jdbc-url and no embedded warehouse yet
     * @throws IllegalArgumentException when --jdbc-url is not a PostgreSQL JDBC URL
     * @throws RuntimeException         when the warehouse cannot be reached or migrated (the message says why)
     */
    OpenWarehouse open() throws NoWarehouseException {
        if (jdbcUrl != null) {
            DataSource external = external(jdbcUrl);
            Warehouse.migrate(external);
            return borrowed(external, redact(jdbcUrl));
        }
        Path root = dataDir.resolve(WAREHOUSE_DIR);
        if (!Files.isDirectory(root.resolve(PGDATA))) {
            throw new NoWarehouseException("no warehouse in " + root + " yet: run ./tokenledger demo first"
                    + " (or pass --jdbc-url for an external one)");
        }
        Optional<DataSource> running = runningEmbedded(root);
        if (running.isPresent()) {
            Warehouse.migrate(running.get());
            return borrowed(running.get(), "the running demo's warehouse in " + root);
        }
        EmbeddedWarehouse started = EmbeddedWarehouse.start(root);
        return new OpenWarehouse() {
            @Override
            public DataSource dataSource() {
                return started.dataSource();
            }

            @Override
            public String describe() {
                return "the embedded warehouse in " + root;
            }

            @Override
            public void close() {
                started.close();
            }
        };
    }

    /** PGSimpleDataSource reads user, password and any other driver setting from the URL's parameters. */
    static DataSource external(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://...), got "
                    + redact(url));
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(url);
        } catch (IllegalArgumentException driverMessageRepeatsThePassword) {
            throw new IllegalArgumentException("--jdbc-url is not a valid PostgreSQL JDBC URL: " + redact(url));
        }
        dataSource.setLoginTimeout(EXTERNAL_LOGIN_TIMEOUT_SECONDS);
        return dataSource;
    }

    /**
     * The warehouse a demo still running serves from this directory: the recorded URL answers and the server behind
     * it keeps its data in this very directory (a stale URL may point at another server that took the port since).
     */
    private static Optional<DataSource> runningEmbedded(Path root) {
        Optional<String> recorded = EmbeddedWarehouse.recordedJdbcUrl(root);
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(recorded.get());
        dataSource.setLoginTimeout(PROBE_LOGIN_TIMEOUT_SECONDS);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select current_setting('data_directory')")) {
            result.next();
            Path served = Path.of(result.getString(1)).toRealPath();
            return served.equals(root.resolve(PGDATA).toRealPath()) ? Optional.of(dataSource) : Optional.empty();
        } catch (SQLException | IOException notRunningHere) {
            return Optional.empty();
        }
    }

    private static OpenWarehouse borrowed(DataSource dataSource, String description) {
        return new OpenWarehouse() {
            @Override
            public DataSource dataSource() {
                return dataSource;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {
                // Not ours to stop: an external server, or the one a running demo owns.
            }
        };
    }

    /** The URL with the value of a password parameter hidden. */
    static String redact(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /**
     * What went wrong in one line: the innermost SQL error when there is one (a refused connection, a missing
     * relation), else the innermost cause; wrappers such as Flyway's add pages of context around it.
     */
    static String describeFailure(Throwable e) {
        Throwable chosen = e;
        Throwable sql = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chosen = t;
            if (t instanceof SQLException) {
                sql = t;
            }
        }
        if (sql != null) {
            chosen = sql;
        }
        String message = chosen.getMessage() == null ? chosen.getClass().getSimpleName() : chosen.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
