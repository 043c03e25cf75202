package dev.tokenledger.bench;

import static dev.tokenledger.testing.TestEvents.event;
import static dev.tokenledger.testing.TestEvents.feature;
import static dev.tokenledger.testing.TestEvents.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.attribute.Attributor;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.InMemorySchemaRegistry;
import dev.tokenledger.serde.ConfluentAvroSerializer;
import dev.tokenledger.validate.UsageValidator;
import dev.tokenledger.warehouse.EmbeddedWarehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's peer on a real PostgreSQL: the rows and totals of a handful of events, in both statement modes. */
class PostgresPeerIT {

    @TempDir
    Path dir;

    @Test
    void shouldWriteASpendRowPerNewEventAndSumTheDailyTablePerKey() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ConfluentAvroSerializer<UsageEvent> avro = new ConfluentAvroSerializer<>(registry, UsageEvent.class, false);
        PriceBook book = PriceBook.of(List.of(price("openai", "gpt-4o", Instant.parse("2020-01-01T00:00:00Z"), "2.50", "10.00")));
        Map<String, Ownership> owners = Map.of(Attributor.featureKey("semantic-search"), feature("semantic-search", "search", "ana@example.com"));
        Instant now = Instant.now().minusSeconds(60);
        Instant yesterday = now.minus(Duration.ofDays(1));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);

        // 1,000 input and 100 output tokens of gpt-4o at $2.50 / $10 per million: $0.0035 each.
        List<byte[]> first = List.of(
                bytes(avro, event("r1", now).build()),
                bytes(avro, event("r2", yesterday).build()),
                bytes(avro, event("r3", now).setFeature("nobody-owns-this").build()));
        List<byte[]> second = new ArrayList<>(List.of(
                bytes(avro, event("r1", now).build()),                               // a redelivery: absorbed
                bytes(avro, event("r4", now).setRequestModel("mystery-1").build()),  // unpriced: a zero row
                bytes(avro, event("r5", now).build()),                               // the same daily key as r1
                "not avro".getBytes(StandardCharsets.UTF_8)));                       // rejected

        try (EmbeddedWarehouse postgres = EmbeddedWarehouse.start(dir)) {
            for (PostgresPeer.Statements mode : PostgresPeer.Statements.values()) {
                String name = "peer_" + mode.name().toLowerCase();
                try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                DataSource db = postgres.dataSource(name);
                PostgresPeer.createTables(db);
                try (PostgresPeer peer = new PostgresPeer(db, registry, book, new Attributor(owners::get, "finops@example.com"),
                        UsageValidator.withDefaults(), Duration.ofDays(62), mode)) {
                    assertThat(peer.synchronousCommit()).isEqualTo("on");
                    assertThat(peer.writeBatch(first)).isEqualTo(3);
                    assertThat(peer.writeBatch(second)).isEqualTo(2);
                    assertThat(peer.rejected()).isEqualTo(1);
                }

                PostgresPeer.Totals totals = PostgresPeer.totals(db);
                assertThat(totals.spendRows()).isEqualTo(5);
                assertThat(totals.spendTotal()).isEqualByComparingTo("0.0140");
                assertThat(totals.dailyTotal()).isEqualByComparingTo("0.0140");
                assertThat(totals.tiesOut()).isTrue();
                assertThat(rows(db, "SELECT day || '|' || team || '|' || feature || '|' || model || '|' || spend || '|' || requests"
                        + " FROM daily_spend")).as(mode.name()).containsExactlyInAnyOrder(
                        today + "|search|semantic-search|gpt-4o|0.007000000000|2",
                        today.minusDays(1) + "|search|semantic-search|gpt-4o|0.003500000000|1",
                        today + "|unallocated|unallocated|gpt-4o|0.003500000000|1",
                        today + "|search|semantic-search|mystery-1|0.000000000000|1");
                assertThat(rows(db, "SELECT request_id FROM spend_logs WHERE spend = 0")).containsExactly("r4");
            }
        }
    }

    private static byte[] bytes(ConfluentAvroSerializer<UsageEvent> avro, UsageEvent e) {
        return avro.serialize("llm.usage.v1", e);
    }

    private static List<String> rows(DataSource db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
