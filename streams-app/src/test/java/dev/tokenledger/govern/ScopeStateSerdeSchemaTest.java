package dev.tokenledger.govern;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.ScopeState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * ScopeStateSerde is written by hand, so nothing but these tests ties it to {@code ScopeState.avsc}:
 * the compatibility gate checks the schema, the store only ever sees the hand encoding. A field added
 * to the schema and not to the serde would silently come back as its default after a restore.
 */
class ScopeStateSerdeSchemaTest {

    /** The fields the hand encoding carries, record by record; change it together with ScopeStateSerde. */
    private static final Map<String, List<String>> CARRIED = Map.of(
            "ScopeState", List.of("scope_type", "scope_id", "monthly", "daily", "rate_buckets", "daily_history"),
            "PeriodSpend", List.of("period", "period_start", "spend", "events", "last_event_at", "contributors",
                    "untracked", "raised", "told"),
            "SpendContributor", List.of("name", "spend"),
            "RateBucket", List.of("start", "spend"),
            "DaySpend", List.of("day", "calls", "spend"),
            "BudgetStatus", List.of("scope_type", "scope_id", "period", "period_start", "period_end", "spend",
                    "budget", "soft_threshold", "hard_threshold", "percent", "state", "action", "projection",
                    "owner", "last_event_at", "updated_at"));

    @Test
    void shouldCarryEveryFieldOfTheSchema() {
        Map<String, List<String>> declared = new LinkedHashMap<>();
        records(ScopeState.getClassSchema(), declared);
        assertThat(declared)
                .as("ScopeState.avsc and ScopeStateSerde disagree: encode and decode the new field "
                        + "(bump ScopeStateSerde.VERSION), then list it in CARRIED")
                .isEqualTo(CARRIED);
    }

    @Property(tries = 200)
    void shouldRoundTripAFullyPopulatedRandomState(@ForAll long seed) {
        ScopeState state = (ScopeState) populated(ScopeState.getClassSchema(), new Random(seed));
        assertThat(ScopeStateSerde.decode(ScopeStateSerde.encode(state))).isEqualTo(state);
    }

    private static void records(Schema s, Map<String, List<String>> out) {
        switch (s.getType()) {
            case RECORD -> {
                if (out.containsKey(s.getName())) {
                    return;
                }
                out.put(s.getName(), s.getFields().stream().map(Schema.Field::name).toList());
                s.getFields().forEach(f -> records(f.schema(), out));
            }
            case UNION -> s.getTypes().forEach(t -> records(t, out));
            case ARRAY -> records(s.getElementType(), out);
            case MAP -> records(s.getValueType(), out);
            default -> { }
        }
    }

    /** A value for every field, never null and never the default, so a dropped field shows up as a difference. */
    private static Object populated(Schema s, Random r) {
        return switch (s.getType()) {
            case RECORD -> {
                SpecificRecordBase record = (SpecificRecordBase) SpecificData.get().newRecord(null, s);
                for (Schema.Field f : s.getFields()) {
                    record.put(f.pos(), populated(f.schema(), r));
                }
                yield record;
            }
            case UNION -> populated(s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                    .orElseThrow(), r);
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    items.add(populated(s.getElementType(), r));
                }
                yield items;
            }
            case STRING -> "s" + Long.toString(r.nextLong(), 36) + (r.nextBoolean() ? "\u00e9\u65e5" : "");
            case LONG -> s.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? Instant.ofEpochMilli(r.nextLong(-62_000_000_000_000L, 253_000_000_000_000L))
                    : (Object) (r.nextBoolean() ? r.nextLong() : (long) r.nextInt(1000));
            case BYTES -> {
                LogicalTypes.Decimal d = (LogicalTypes.Decimal) s.getLogicalType();
                // Past 63 bits too, so both the varint and the bytes form of the encoding are exercised.
                BigInteger unscaled = new BigInteger(r.nextBoolean() ? 62 : 120, r);
                yield new BigDecimal(r.nextBoolean() ? unscaled : unscaled.negate(), d.getScale());
            }
            case INT -> r.nextInt();
            case BOOLEAN -> true;
            case DOUBLE -> r.nextDouble() + 1;
            default -> throw new AssertionError("ScopeState now uses Avro type " + s.getType()
                    + ": teach ScopeStateSerde and this test about it");
        };
    }
}
