package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.AnomalyAlert;
import dev.tokenledger.avro.AnomalyDriver;
import dev.tokenledger.avro.AnomalySource;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.serde.ConfluentAvroConverter;
import dev.tokenledger.serde.ConfluentAvroSerializer;
import dev.tokenledger.serde.SerdeConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** An AnomalyAlert as the sink's converter reads it, then as the AnomalyColumns SMT hands it to the JDBC sink. */
class AnomalyColumnsTest {

    private static final String TOPIC = "llm.alerts.anomaly.v1";
    private static final String REGISTRY_URL = "mem://anomaly-columns-test";

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount).setScale(12);
    }

    private static AnomalyAlert.Builder alert() {
        return AnomalyAlert.newBuilder().setAnomalyId("unit_cost_drift|feature|f|f|-|2026-10-18T14:00:00Z")
                .setKind("unit_cost_drift").setState("open").setScopeType("feature").setScopeId("f").setFeature("f")
                .setWindowStart(Instant.parse("2026-10-18T14:00:00Z")).setWindowEnd(Instant.parse("2026-10-18T15:00:00Z"))
                .setDetectedAt(Instant.parse("2026-10-18T15:00:00Z")).setActual(0.0066).setExpected(0.0019)
                .setUnit("usd_per_request").setImpactUsd(usd("2.32")).setScore(25.2).setSeverity("low")
                .setExplanation("f cost per request +244%");
    }

    private static SinkRecord sinkRecord(AnomalyAlert alert) {
        ConfluentAvroConverter converter = new ConfluentAvroConverter();
        converter.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY_URL), false);
        ConfluentAvroSerializer<AnomalyAlert> serializer =
                new ConfluentAvroSerializer<>(SchemaRegistries.fromUrl(REGISTRY_URL), AnomalyAlert.class, false);
        SchemaAndValue value = converter.toConnectData(TOPIC, serializer.serialize(TOPIC, alert));
        return new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, alert.getAnomalyId(), value.schema(), value.value(), 7L);
    }

    private static SinkRecord columns(AnomalyAlert alert) {
        try (AnomalyColumns<SinkRecord> smt = new AnomalyColumns<>()) {
            smt.configure(Map.of());
            return smt.apply(sinkRecord(alert));
        }
    }

    @Test
    void shouldTurnEachDriverIntoAnExactColumnAndTheSourcesIntoText() {
        AnomalyAlert alert = alert()
                .setDrivers(List.of(new AnomalyDriver("volume", usd("0"), "requests 100/h → 100"),
                        new AnomalyDriver("model_mix", usd("2.450000000001"), "claude-3-5-haiku → claude-sonnet-4-5"),
                        new AnomalyDriver("token_shape", usd("-0.13"), "shorter inputs"),
                        new AnomalyDriver("rate", usd("-0.000000000001"), "")))
                .setSources(List.of(new AnomalySource("retries", usd("0.259"))))
                .build();
        Struct row = (Struct) columns(alert).value();
        row.validate();

        assertThat(row.schema().fields()).extracting(Field::name)
                .contains("volume_usd", "model_mix_usd", "token_shape_usd", "rate_usd", "drivers_detail", "sources")
                .doesNotContain("drivers");
        assertThat(row.schema().field("rate_usd").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        BigDecimal sum = List.of("volume_usd", "model_mix_usd", "token_shape_usd", "rate_usd").stream()
                .map(f -> (BigDecimal) row.get(f)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualTo(usd("2.32"));
        assertThat(row.get("impact_usd")).isEqualTo(usd("2.32"));
        assertThat(row.get("model_mix_usd")).isEqualTo(usd("2.450000000001"));
        assertThat(row.getString("drivers_detail")).isEqualTo("volume: requests 100/h → 100; "
                + "model_mix: claude-3-5-haiku → claude-sonnet-4-5; token_shape: shorter inputs");
        assertThat(row.getString("sources")).isEqualTo("retries $0.259000000000");
        assertThat(row.getString("anomaly_id")).isEqualTo(alert.getAnomalyId());
        assertThat(row.get("score")).isEqualTo(25.2);
    }

    @Test
    void shouldLeaveTheDriverColumnsNullForARuleWithoutDrivers() {
        Struct row = (Struct) columns(alert().setKind("new_unpriced_model").setScore(null).build()).value();
        row.validate();
        assertThat(row.get("volume_usd")).isNull();
        assertThat(row.get("rate_usd")).isNull();
        assertThat(row.get("drivers_detail")).isNull();
        assertThat(row.get("sources")).isNull();
        assertThat(row.get("score")).isNull();
    }
}
