package dev.tokenledger.warehouse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from a Maven jar, with its data kept under a directory so that a later process
 * (e.g. {@code tokenledger report}) can reopen what the demo left. Migrated on start.
 *
 * <p>Layout of the root directory: {@code pgdata/} (the cluster), {@code jdbc.url} (how to connect; also for
 * psql or a BI tool while the warehouse runs), {@code port} (reused on reopen so the URL stays valid).
 */
public final class EmbeddedWarehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWarehouse.class);

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    public static final String JDBC_URL_FILE = "jdbc.url";
    private static final String PORT_FILE = "port";
    private static final String DATA_DIR = "pgdata";

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;

    private EmbeddedWarehouse(EmbeddedPostgres postgres, String jdbcUrl) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts (or reopens) the warehouse kept under {@code root} and applies pending migrations. */
    public static EmbeddedWarehouse start(Path root) {
        try {
            Files.createDirectories(root);
            int port = choosePort(root.resolve(PORT_FILE));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(root.resolve(DATA_DIR))
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // Views bucket instants into UTC days and months; keep sessions of psql users in UTC too.
                    .setServerConfig("timezone", "UTC")
                    .start();
            String jdbcUrl = postgres.getJdbcUrl(USER, DATABASE);
            Files.writeString(root.resolve(PORT_FILE), Integer.toString(postgres.getPort()), StandardCharsets.UTF_8);
            Files.writeString(root.resolve(JDBC_URL_FILE), jdbcUrl + System.lineSeparator(), StandardCharsets.UTF_8);
            EmbeddedWarehouse warehouse = new EmbeddedWarehouse(postgres, jdbcUrl);
            int applied = Warehouse.migrate(warehouse.dataSource());
            // Callers print the URL themselves; a routine reopen (e.g. by a report) must not add lines to its output.
            if (applied > 0) {
                LOG.info("Embedded warehouse at {} ({} migrations applied)", jdbcUrl, applied);
            } else {
                LOG.debug("Embedded warehouse at {} (schema up to date)", jdbcUrl);
            }
            return warehouse;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded warehouse under " + root, e);
        }
    }

    /** The JDBC URL a previous {@link #start} recorded under {@code root}, if any. */
    public static Optional<String> recordedJdbcUrl(Path root) {
        Path file = root.resolve(JDBC_URL_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public DataSource dataSource() {
        return postgres.getDatabase(USER, DATABASE);
    }

    /** Another database on the same server (created by the caller), e.g. the benchmark's peer tables. */
    public DataSource dataSource(String database) {
        return postgres.getDatabase(USER, database);
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the embedded warehouse", e);
        }
    }

    /** The port recorded by a previous run when it is free again, else any free port. */
    private static int choosePort(Path portFile) throws IOException {
        if (Files.isRegularFile(portFile)) {
            try {
                int recorded = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
                if (isFree(recorded)) {
                    return recorded;
                }
            } catch (NumberFormatException ignored) {
                // An unreadable record is as good as none: pick a new port and overwrite it.
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
