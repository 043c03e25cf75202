package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded warehouse keeps its data: a second start on the same directory sees what the first one left. */
class EmbeddedWarehouseIT {

    @TempDir
    Path root;

    @Test
    void shouldReopenWhatAPreviousRunLeftAndRecordItsJdbcUrl() throws Exception {
        String firstUrl;
        try (EmbeddedWarehouse first = EmbeddedWarehouse.start(root)) {
            firstUrl = first.jdbcUrl();
            RevenueCsv.load(new StringReader("feature,month,revenue_usd\nanswer,2026-03,400\n"), first.dataSource());
        }
        assertThat(EmbeddedWarehouse.recordedJdbcUrl(root)).contains(firstUrl);
        assertThat(Files.readString(root.resolve(EmbeddedWarehouse.JDBC_URL_FILE))).contains("jdbc:postgresql://");

        try (EmbeddedWarehouse second = EmbeddedWarehouse.start(root)) {
            // The port was recorded and free again, so the URL a user copied still works.
            assertThat(second.jdbcUrl()).isEqualTo(firstUrl);
            assertThat(SqlRows.single(second.dataSource(), "select revenue_usd from feature_revenue"))
                    .isEqualTo("400.000000000000");
            assertThat(Warehouse.migrate(second.dataSource())).isZero();
        }
    }
}
