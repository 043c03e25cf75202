package dev.tokenledger.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRendererTest {

    private static final Table SPEND = new Table("spend by team, 2026-03", List.of("rank", "team", "spend_usd", "owner"),
            List.of(
                    List.of("1", "search", "80.000000000000", "ann"),
                    Arrays.asList("2", "growth, emea", "5.000000000001", null)));

    @Test
    void shouldAlignColumnsAndRightAlignNumbers() {
        assertThat(TableRenderer.render(SPEND, TableFormat.TABLE)).isEqualTo("""
                rank  team                spend_usd  owner
                ----  ------------  ---------------  -----
                   1  search        80.000000000000  ann
                   2  growth, emea   5.000000000001
                (2 rows)
                """);
    }

    @Test
    void shouldQuoteCsvCellsThatHoldCommasOrQuotesAndLeaveNullEmpty() {
        Table quoted = new Table("t", List.of("a", "b"), List.of(List.of("say \"hi\"", "x")));
        assertThat(TableRenderer.render(SPEND, TableFormat.CSV)).isEqualTo(
                "rank,team,spend_usd,owner\r\n1,search,80.000000000000,ann\r\n2,\"growth, emea\",5.000000000001,\r\n");
        assertThat(TableRenderer.render(quoted, TableFormat.CSV)).isEqualTo("a,b\r\n\"say \"\"hi\"\"\",x\r\n");
    }

    @Test
    void shouldWriteJsonWithAmountsAsExactStringsAndNullAsNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(TableRenderer.render(SPEND, TableFormat.JSON));
        assertThat(json.get("report").asText()).isEqualTo("spend by team, 2026-03");
        assertThat(json.get("columns")).hasSize(4);
        JsonNode second = json.get("rows").get(1);
        assertThat(second.get("spend_usd").isTextual()).isTrue();
        assertThat(second.get("spend_usd").asText()).isEqualTo("5.000000000001");
        assertThat(second.get("owner").isNull()).isTrue();
    }

    @Test
    void shouldRenderAnEmptyTableWithItsHeader() {
        Table empty = new Table("nothing", List.of("day", "spend_usd"), List.of());
        assertThat(TableRenderer.render(empty, TableFormat.TABLE)).isEqualTo("""
                day  spend_usd
                ---  ---------
                (0 rows)
                """);
        assertThat(TableRenderer.render(empty, TableFormat.CSV)).isEqualTo("day,spend_usd\r\n");
    }

    @Test
    void shouldParseFormatNamesInAnyCaseAndRejectOthers() {
        assertThat(TableFormat.parse("Json")).isEqualTo(TableFormat.JSON);
        assertThatThrownBy(() -> TableFormat.parse("xml")).hasMessageContaining("table, csv or json");
    }

    @Test
    void shouldRejectARowWhoseWidthDiffersFromTheColumns() {
        assertThatThrownBy(() -> new Table("t", List.of("a", "b"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
