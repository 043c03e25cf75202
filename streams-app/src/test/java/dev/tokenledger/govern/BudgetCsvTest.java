package dev.tokenledger.govern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvParseResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetCsvTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples").normalize();
    private static final String HEADER = "scope_type,scope_id,period,amount_usd,soft_pct,hard_pct,action,owner\n";
    private static final String GOOD = "team,search,monthly,30000.00,80,110,downgrade:gpt-4o-mini,\"Okafor, Chidi\"";

    @Test
    void shouldReadTheExampleBudgetsWithoutErrors() throws IOException {
        Instant loaded = Instant.parse("2026-11-01T00:00:00Z");
        CsvParseResult<Budget> result = BudgetCsv.read(EXAMPLES.resolve("budgets.csv"), loaded);

        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).extracting(Budget::getScopeType)
                .contains("team", "feature", "customer", "global");
        assertThat(result.rows()).extracting(Budget::getPeriod).contains("monthly", "daily");
        assertThat(result.rows()).extracting(Budget::getAction).contains("alert", "queue", "block")
                .anyMatch(a -> a.startsWith("downgrade:"));
        assertThat(result.rows()).extracting(Budget::getUpdatedAt).containsOnly(loaded);
    }

    @Test
    void shouldBuildTheBudgetRecordAndItsKey() {
        Budget budget = BudgetCsv.parse(HEADER + GOOD).rows().get(0);

        assertThat(BudgetCsv.recordKey(budget)).isEqualTo("team:search:monthly");
        assertThat(budget.getAmountUsd()).isEqualTo(new BigDecimal("30000.000000000000"));
        assertThat(budget.getSoftPct()).isEqualTo(80);
        assertThat(budget.getHardPct()).isEqualTo(110);
        assertThat(budget.getAction()).isEqualTo("downgrade:gpt-4o-mini");
        assertThat(budget.getOwner()).isEqualTo("Okafor, Chidi");
        assertThat(budget.getUpdatedAt()).isEqualTo(Instant.EPOCH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30000            | 30000.000000000000",
            "0                | 0E-12",
            "0.000000000001   | 0.000000000001",
            "12.5000000000000000 | 12.500000000000"})
    void shouldKeepAmountsExact(String amount, String expected) {
        Budget budget = BudgetCsv.parse(HEADER + GOOD.replace("30000.00", amount)).rows().get(0);
        assertThat(budget.getAmountUsd()).isEqualTo(new BigDecimal(expected));
        assertThat(budget.getAmountUsd().scale()).isEqualTo(12);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "scope_type | 'tenant,search,monthly,30000.00,80,110,alert,Chidi'",
            "scope_type | ',search,monthly,30000.00,80,110,alert,Chidi'",
            "scope_id   | 'team,,monthly,30000.00,80,110,alert,Chidi'",
            "period     | 'team,search,weekly,30000.00,80,110,alert,Chidi'",
            "period     | 'team,search,Monthly,30000.00,80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,-5,80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,\"30,000\",80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,$300,80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,1e5,80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,0.0000000000001,80,110,alert,Chidi'",
            "amount_usd | 'team,search,monthly,123456789012345678901234567,80,110,alert,Chidi'",
            "soft_pct   | 'team,search,monthly,30000.00,0,110,alert,Chidi'",
            "soft_pct   | 'team,search,monthly,30000.00,80.5,110,alert,Chidi'",
            "hard_pct   | 'team,search,monthly,30000.00,80,1001,alert,Chidi'",
            "hard_pct   | 'team,search,monthly,30000.00,80,70,alert,Chidi'",
            "hard_pct   | 'team,search,monthly,30000.00,80,,alert,Chidi'",
            "action     | 'team,search,monthly,30000.00,80,110,downgrade:,Chidi'",
            "action     | 'team,search,monthly,30000.00,80,110,throttle,Chidi'",
            "action     | 'team,search,monthly,30000.00,80,110,downgrade:gpt 4o,Chidi'",
            "owner      | 'team,search,monthly,30000.00,80,110,alert,'"})
    void shouldRejectABadValueNamingItsColumn(String column, String row) {
        CsvParseResult<Budget> result = BudgetCsv.parse(HEADER + row);

        assertThat(result.rows()).isEmpty();
        assertThat(result.errors()).extracting(CsvLineError::line, CsvLineError::field)
                .containsExactly(tuple(2, column));
    }

    @Test
    void shouldAllowHardUpToTenTimesTheBudgetAndSoftEqualToHard() {
        CsvParseResult<Budget> result = BudgetCsv.parse(HEADER + GOOD.replace(",80,110,", ",1000,1000,"));
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void shouldReportADuplicateScopeAndKeepTheFirst() {
        CsvParseResult<Budget> result = BudgetCsv.parse(HEADER + GOOD + "\n\n" + GOOD.replace("30000.00", "1") + "\n"
                + GOOD.replace("monthly", "daily"));

        assertThat(result.rows()).extracting(BudgetCsv::recordKey).containsExactly("team:search:monthly", "team:search:daily");
        assertThat(result.rows().get(0).getAmountUsd()).isEqualByComparingTo("30000");
        assertThat(result.errors()).singleElement()
                .extracting(CsvLineError::line, CsvLineError::reason).containsExactly(4, CsvLineError.DUPLICATE_KEY);
    }

    @Test
    void shouldReportEveryBadColumnOfARow() {
        CsvParseResult<Budget> result = BudgetCsv.parse(HEADER + "galaxy,,yearly,-1,0,0,nap,\n");
        assertThat(result.errors()).extracting(CsvLineError::field).containsExactly(
                "scope_type", "scope_id", "period", "amount_usd", "soft_pct", "hard_pct", "action", "owner");
    }
}
