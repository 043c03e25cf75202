package dev.tokenledger.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The warehouse schema: tables the sink writes and the views that answer the five questions. */
public final class Warehouse {

    /** Where the versioned (tables) and repeatable (views) migrations live on the classpath. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private Warehouse() {
    }

    /**
     * Brings any PostgreSQL warehouse (embedded or external, e.g. from {@code --jdbc-url}) to the current schema.
     * Safe to call on every start: applied migrations are skipped.
     *
     * @return how many migrations this call applied
     */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    /**
     * Empties every table a sink writes ({@link SinkConnectorConfigs#tables()}), for a run that replays its
     * traffic from scratch: rows left by an earlier run would otherwise be reported as this one's. Tables no
     * sink writes (feature_revenue, loaded by finance; Flyway's history) are kept.
     */
    public static void clearSinkTables(DataSource dataSource) {
        String tables = String.join(", ", SinkConnectorConfigs.tables());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + tables);
        } catch (SQLException e) {
            throw new WarehouseException("cannot empty the sink tables " + tables + ": " + e.getMessage(), e);
        }
    }
}
