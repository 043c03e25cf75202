package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.warehouse.EmbeddedWarehouse;
import dev.tokenledger.warehouse.SqlRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --revenue FILE}: validated before the demo starts, then loaded in place of the demo's own revenue. */
class DemoMarginsIT {

    @Test
    void shouldRefuseABadRevenueFileWithItsLinesAndLoadAGoodOneInPlaceOfTheDemosRevenue(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "feature,month,revenue_usd\ndoc-qa,2026-11,abc\ndoc-qa,2026-13,1\n");
        StringWriter err = new StringWriter();
        assertThat(DemoMargins.validRevenue(bad, new PrintWriter(err, true))).isFalse();
        assertThat(err.toString()).contains("2 errors").contains("line 2: bad_amount").contains("line 3: bad_month");
        assertThat(DemoMargins.validRevenue(dir.resolve("missing.csv"), new PrintWriter(new StringWriter(), true))).isFalse();

        Path good = dir.resolve("revenue.csv");
        Files.writeString(good, "feature,month,revenue_usd\ndoc-qa,2026-11,320.00\nsemantic-search,2026-11,180.00\n");
        assertThat(DemoMargins.validRevenue(good, new PrintWriter(new StringWriter(), true))).isTrue();
        try (EmbeddedWarehouse warehouse = EmbeddedWarehouse.start(dir.resolve("warehouse"))) {
            try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into feature_revenue values ('email-drafts', '2026-11-01', 12.34, 'demo')");
            }
            List<String> progress = new ArrayList<>();

            assertThat(DemoMargins.loadRevenue(warehouse.dataSource(), good, progress::add)).isNull();

            assertThat(progress).containsExactly("loaded 2 revenue rows from " + good);
            assertThat(SqlRows.column(warehouse.dataSource(),
                    "select feature || ' ' || revenue_usd || ' ' || source from feature_revenue order by feature"))
                    .containsExactly("doc-qa 320.000000000000 finance", "semantic-search 180.000000000000 finance");
        }
    }
}
