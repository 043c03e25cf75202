package dev.tokenledger.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.CostBreakdown;
import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SpendDeltaTest {

    static BigDecimal usd(String s) {
        return new BigDecimal(s).setScale(12);
    }

    static SpendDelta call(String requestId, long at, String total, String workload) {
        CostBreakdown cost = new CostBreakdown(usd("0.1"), usd("0.2"), usd("0"), usd(total).subtract(usd("0.3")),
                usd("0"), usd("0"), usd(total));
        return new SpendDelta(1, 1, 0, 0, 0, 1200, 700, 400, 100, 300, 50, cost, usd("0"), usd("0.000000000007"), 1,
                at, requestId, workload, "ana@example.com");
    }

    @Test
    void shouldSumEveryFieldExactlyAndBeNamedAfterTheNewestCall() {
        SpendDelta a = call("r-1", 2_000, "1.000000000001", "chat");
        SpendDelta b = call("r-2", 1_000, "2.5", null);

        SpendDelta sum = a.plus(b);
        assertThat(sum.requests()).isEqualTo(2);
        assertThat(sum.inputTokens()).isEqualTo(2400);
        assertThat(sum.cacheReadInputTokens()).isEqualTo(800);
        assertThat(sum.total()).isEqualTo(usd("3.500000000001"));
        assertThat(sum.cost().getOutput()).isEqualTo(usd("2.900000000001"));
        assertThat(sum.providerReportedCost()).isEqualTo(usd("0.000000000014"));
        assertThat(sum.lastRequestId()).isEqualTo("r-1");
        assertThat(sum.lastEventAtMs()).isEqualTo(2_000);
        assertThat(sum.workload()).isEqualTo("chat");
        assertThat(b.plus(a)).as("either order").isEqualTo(sum);
    }

    @Test
    void shouldRoundTripExactlyThroughTheCompactEncoding() {
        SpendDelta huge = call("r-3", 1_794_312_001_000L, "123456789012345.123456789012", null);
        for (SpendDelta d : new SpendDelta[] {call("r-1", 5, "0.000000000001", "chat"), huge, huge.plus(call("r-4", 7, "1", "x"))}) {
            byte[] bytes = SpendDeltaSerde.encode(d);
            assertThat(SpendDeltaSerde.decode(bytes)).isEqualTo(d);
        }
        assertThat(SpendDeltaSerde.encode(call("r-1", 1_794_312_001_000L, "0.004512", "chat")))
                .as("compact: about a fifth of the Avro priced record").hasSizeLessThan(100);
    }

    @Test
    void shouldRefuseBytesThatAreNotOneRecordOfThisEncoding() {
        byte[] bytes = SpendDeltaSerde.encode(call("r-1", 5, "1", "chat"));
        assertThatThrownBy(() -> SpendDeltaSerde.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> SpendDeltaSerde.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(SerializationException.class);
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> SpendDeltaSerde.decode(otherVersion)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }
}
