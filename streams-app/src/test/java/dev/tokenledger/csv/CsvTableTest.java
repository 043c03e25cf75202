package dev.tokenledger.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static final List<String> COLUMNS = List.of("a", "b", "c");

    @Test
    void shouldReadQuotedFieldsWithCommasQuotesAndLineBreaks() {
        CsvTable.Rows table = CsvTable.read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,row,here\n", COLUMNS);

        assertThat(table.errors()).isEmpty();
        assertThat(table.rows()).extracting(CsvTable.Row::values).containsExactly(
                Map.of("a", "x, y", "b", "say \"hi\"", "c", "two\nlines"),
                Map.of("a", "last", "b", "row", "c", "here"));
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(2, 4);
    }

    @Test
    void shouldSkipBlankLinesTrimFieldsAndCountLinesForCrlfAndBom() {
        CsvTable.Rows table = CsvTable.read("\uFEFFa,b,c\r\n\r\n  1 , 2\t,3  \r\n   \r\n\"4\" ,5, \"6\"\r\n", COLUMNS);

        assertThat(table.errors()).isEmpty();
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(3, 5);
        assertThat(table.rows().get(0).values()).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(table.rows().get(1).values()).isEqualTo(Map.of("a", "4", "b", "5", "c", "6"));
    }

    @Test
    void shouldReadPositionallyWithoutAHeader() {
        CsvTable.Rows table = CsvTable.read("1,2,3", COLUMNS);
        assertThat(table.rows()).singleElement().extracting(CsvTable.Row::values).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
    }

    @Test
    void shouldMapColumnsByHeaderInAnyOrderAndIgnoreExtraColumns() {
        CsvTable.Rows table = CsvTable.read("A,c,note,b\n1,3,ignored,2\n", COLUMNS);
        assertThat(table.rows()).singleElement().extracting(CsvTable.Row::values).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
    }

    @Test
    void shouldReportAHeaderThatLacksAColumn() {
        CsvTable.Rows table = CsvTable.read("a,c\n1,3\n", COLUMNS);
        assertThat(table.rows()).isEmpty();
        assertThat(table.errors()).singleElement()
                .extracting(CsvLineError::line, CsvLineError::field, CsvLineError::reason)
                .containsExactly(1, "b", CsvLineError.MISSING_COLUMN);
    }

    @Test
    void shouldReportARowWithTheWrongNumberOfColumnsAndKeepTheOthers() {
        CsvTable.Rows table = CsvTable.read("a,b,c\n1,2\n4,5,6\n7,8,9,10\n", COLUMNS);
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(3);
        assertThat(table.errors()).extracting(CsvLineError::line, CsvLineError::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, CsvLineError.WRONG_COLUMN_COUNT),
                org.assertj.core.groups.Tuple.tuple(4, CsvLineError.WRONG_COLUMN_COUNT));
    }

    @Test
    void shouldReportTextAfterAClosingQuoteAndGoOnWithTheNextLine() {
        CsvTable.Rows table = CsvTable.read("a,b,c\n\"1\"x,2,3\n4,5,6\n", COLUMNS);
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(3);
        assertThat(table.errors()).singleElement().extracting(CsvLineError::line, CsvLineError::reason)
                .containsExactly(2, CsvLineError.MALFORMED);
    }

    @Test
    void shouldReportAnUnclosedQuote() {
        CsvTable.Rows table = CsvTable.read("a,b,c\n4,5,6\n1,\"2,3\n", COLUMNS);
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(2);
        assertThat(table.errors()).singleElement().extracting(CsvLineError::line, CsvLineError::reason)
                .containsExactly(3, CsvLineError.MALFORMED);
    }

    @Test
    void shouldReadAnEmptyFileAsNoRows() {
        assertThat(CsvTable.read("", COLUMNS).rows()).isEmpty();
        assertThat(CsvTable.read("a,b,c\n", COLUMNS).rows()).isEmpty();
        assertThat(CsvTable.read("\n\n", COLUMNS).errors()).isEmpty();
    }

    @Test
    void shouldKeepEmptyCellsAsEmptyAndOptionalAsNull() {
        CsvTable.Row row = CsvTable.read("1,,\"\"", COLUMNS).rows().get(0);
        assertThat(row.get("b")).isEmpty();
        assertThat(row.optional("c")).isNull();
        assertThat(row.optional("a")).isEqualTo("1");
    }

    @Test
    void shouldFindHeaderColumnsByNameInAnyCaseAndLeaveAbsentOptionalOnesEmpty() {
        CsvTable.Rows table = CsvTable.readWithHeader("Extra,billedcost,ServiceName\nx,1.50,Bedrock\n",
                List.of("BilledCost", "ServiceName"), List.of("EffectiveCost"));

        assertThat(table.errors()).isEmpty();
        assertThat(table.rows()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(2);
            assertThat(row.values()).isEqualTo(Map.of("BilledCost", "1.50", "ServiceName", "Bedrock", "EffectiveCost", ""));
        });
    }

    @Test
    void shouldReportMissingRequiredColumnsAndRowsOfTheWrongWidth() {
        assertThat(CsvTable.readWithHeader("ServiceName\nBedrock\n", List.of("BilledCost", "ServiceName"), List.of()).errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(CsvLineError.MISSING_COLUMN);
                    assertThat(e.field()).isEqualTo("BilledCost");
                });
        assertThat(CsvTable.readWithHeader("a,b\n1,2\n3\n", List.of("a"), List.of()).errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).isEqualTo(CsvLineError.WRONG_COLUMN_COUNT);
                });
        assertThat(CsvTable.readWithHeader("", List.of("a"), List.of()).errors()).hasSize(1);
    }
}
