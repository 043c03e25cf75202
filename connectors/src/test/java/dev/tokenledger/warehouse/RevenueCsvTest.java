package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class RevenueCsvTest {

    @Test
    void shouldParseMonthsInBothFormsAndKeepRevenueExact() throws Exception {
        RevenueCsv.Parsed parsed = RevenueCsv.parse(new StringReader("""
                feature,month,revenue_usd
                answer,2026-03,400.123456789012
                "summary, pro",2026-03-01,25
                """));
        assertThat(parsed.rejections()).isEmpty();
        assertThat(parsed.rows()).containsExactly(
                new RevenueCsv.Revenue("answer", YearMonth.of(2026, 3), new BigDecimal("400.123456789012")),
                new RevenueCsv.Revenue("summary, pro", YearMonth.of(2026, 3), new BigDecimal("25")));
    }

    @Test
    void shouldRejectEveryBadLineWithItsNumberAndAReason() throws Exception {
        RevenueCsv.Parsed parsed = RevenueCsv.parse(new StringReader("""
                feature,month,revenue_usd
                answer,2026-03,1.0000000000001
                answer,2026-3,1
                ,2026-03,1
                answer,2026-03-15,1
                answer,2026-03,ten
                answer,2026-04,1,extra
                answer,2026-05,1
                answer,2026-05,2
                """));
        assertThat(parsed.rejections()).extracting(r -> r.line() + ":" + r.reason()).containsExactly(
                "2:too_many_decimals", "3:bad_month", "4:missing_feature", "5:bad_month", "6:bad_amount",
                "7:wrong_field_count", "9:duplicate");
        assertThat(parsed.rows()).hasSize(1);
    }

    @Test
    void shouldRefuseExponentsAndPlusSignsButKeepNegativeRevenue() throws Exception {
        RevenueCsv.Parsed parsed = RevenueCsv.parse(new StringReader("""
                feature,month,revenue_usd
                answer,2026-03,1E3
                answer,2026-04,+5
                answer,2026-05,-12.50
                """));
        assertThat(parsed.rejections()).extracting(r -> r.line() + ":" + r.reason()).containsExactly(
                "2:bad_amount", "3:bad_amount");
        assertThat(parsed.rejections().get(0).detail()).isEqualTo(
                "revenue_usd '1E3' is not a plain decimal such as 12.50 or -3 (no exponent, + sign, separators or currency symbol)");
        assertThat(parsed.rows()).containsExactly(
                new RevenueCsv.Revenue("answer", YearMonth.of(2026, 5), new BigDecimal("-12.50")));
    }

    @Test
    void shouldRejectAFileWithoutTheExpectedHeader() throws Exception {
        RevenueCsv.Parsed parsed = RevenueCsv.parse(new StringReader("feature,revenue\nanswer,1\n"));
        assertThat(parsed.rejections()).extracting(RevenueCsv.Rejection::reason).containsExactly("bad_header");
    }

    @Test
    void shouldRejectAnAmountThatDoesNotFitNumeric38Scale12() throws Exception {
        RevenueCsv.Parsed parsed = RevenueCsv.parse(new StringReader(
                "feature,month,revenue_usd\nanswer,2026-03," + "9".repeat(27) + "\n"));
        assertThat(parsed.rejections()).extracting(RevenueCsv.Rejection::reason).containsExactly("amount_too_large");
    }
}
