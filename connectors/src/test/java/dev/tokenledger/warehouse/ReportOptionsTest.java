package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class ReportOptionsTest {

    @Test
    void shouldDefaultToTheLatestMonthByTeamWithAllRows() {
        ReportOptions options = ReportOptions.defaults();
        assertThat(options.month()).isEmpty();
        assertThat(options.by()).isEqualTo("team");
        assertThat(options.top()).isZero();
    }

    @Test
    void shouldParseMonthAndDimension() {
        ReportOptions options = ReportOptions.defaults().withMonth("2026-03").withBy("Customer").withTop(3);
        assertThat(options.month()).contains(YearMonth.of(2026, 3));
        assertThat(options.by()).isEqualTo("customer");
        assertThat(options.top()).isEqualTo(3);
    }

    @Test
    void shouldRejectAnUnknownDimensionABadMonthAndANegativeTop() {
        assertThatThrownBy(() -> ReportOptions.defaults().withBy("region")).hasMessageContaining("--by");
        assertThatThrownBy(() -> ReportOptions.defaults().withMonth("March")).hasMessageContaining("YYYY-MM");
        assertThatThrownBy(() -> ReportOptions.defaults().withTop(-1)).hasMessageContaining("--top");
    }
}
