package dev.tokenledger.govern;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvParseResult;
import dev.tokenledger.csv.CsvTable;
import dev.tokenledger.money.PlainDecimal;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Budgets as a CSV file ({@code examples/budgets.csv}):
 * {@code scope_type,scope_id,period,amount_usd,soft_pct,hard_pct,action,owner}. Each row becomes a
 * {@link Budget} record on {@code llm.budgets.v1} under {@link #recordKey}. Amounts are exact
 * decimals at the money scale; percentages are whole numbers of the amount, the hard threshold at
 * or above the soft one (above 100 allows a grace overrun, up to {@value #MAX_PCT}).
 */
public final class BudgetCsv {

    public static final List<String> COLUMNS =
            List.of("scope_type", "scope_id", "period", "amount_usd", "soft_pct", "hard_pct", "action", "owner");
    public static final Set<String> SCOPE_TYPES = Set.of("team", "feature", "customer", "environment", "workload", "global");
    public static final Set<String> PERIODS = Set.of("monthly", "daily");
    public static final int MAX_PCT = 1000;

    private static final String DOWNGRADE = "downgrade:";

    private BudgetCsv() {
    }

    public static CsvParseResult<Budget> read(Path file, Instant updatedAt) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), updatedAt);
    }

    /** Budgets stamped with the Avro default {@code updated_at} (the epoch). */
    public static CsvParseResult<Budget> parse(String csv) {
        return parse(csv, Instant.EPOCH);
    }

    public static CsvParseResult<Budget> parse(String csv, Instant updatedAt) {
        CsvTable.Rows table = CsvTable.read(csv, COLUMNS);
        List<CsvLineError> errors = new ArrayList<>(table.errors());
        List<Budget> rows = new ArrayList<>();
        Map<String, Integer> firstLineByKey = new HashMap<>();
        for (CsvTable.Row row : table.rows()) {
            RowCheck check = new RowCheck(row);
            Budget budget = check.budget(updatedAt);
            if (budget == null) {
                errors.addAll(check.errors);
                continue;
            }
            String key = recordKey(budget);
            Integer firstLine = firstLineByKey.putIfAbsent(key, row.line());
            if (firstLine != null) {
                errors.add(new CsvLineError(row.line(), "scope_id", CsvLineError.DUPLICATE_KEY,
                        key + " is already defined on line " + firstLine));
                continue;
            }
            rows.add(budget);
        }
        errors.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new CsvParseResult<>(rows, errors);
    }

    /** The record key on llm.budgets.v1: {@code team:search:monthly}. */
    public static String recordKey(Budget budget) {
        return budget.getScopeType() + ":" + budget.getScopeId() + ":" + budget.getPeriod();
    }

    /** Checks one row, every column, so a file is fixed in one round. */
    private static final class RowCheck {
        private final CsvTable.Row row;
        private final List<CsvLineError> errors = new ArrayList<>(0);

        RowCheck(CsvTable.Row row) {
            this.row = row;
        }

        Budget budget(Instant updatedAt) {
            String scopeType = oneOf("scope_type", SCOPE_TYPES);
            String scopeId = required("scope_id");
            String period = oneOf("period", PERIODS);
            BigDecimal amount = amount();
            int soft = percent("soft_pct");
            int hard = percent("hard_pct");
            if (soft > 0 && hard > 0 && soft > hard) {
                error("hard_pct", CsvLineError.INVALID_VALUE,
                        "hard_pct " + hard + " is below soft_pct " + soft + "; the hard threshold comes last");
            }
            String action = action();
            String owner = required("owner");
            if (!errors.isEmpty()) {
                return null;
            }
            return Budget.newBuilder()
                    .setScopeType(scopeType)
                    .setScopeId(scopeId)
                    .setPeriod(period)
                    .setAmountUsd(amount)
                    .setSoftPct(soft)
                    .setHardPct(hard)
                    .setAction(action)
                    .setOwner(owner)
                    .setUpdatedAt(updatedAt)
                    .build();
        }

        private String required(String column) {
            String value = row.get(column);
            if (value.isEmpty()) {
                error(column, CsvLineError.MISSING_FIELD, column + " is required");
            }
            return value;
        }

        private String oneOf(String column, Set<String> allowed) {
            String value = required(column);
            if (!value.isEmpty() && !allowed.contains(value)) {
                error(column, CsvLineError.INVALID_VALUE, column + " '" + value + "' is not one of "
                        + allowed.stream().sorted().toList());
            }
            return value;
        }

        /** A plain non-negative decimal such as 45000 or 45000.00; never rounded. */
        private BigDecimal amount() {
            String text = required("amount_usd");
            if (text.isEmpty()) {
                return null;
            }
            try {
                return PlainDecimal.parseMoney("amount_usd", text, false).setScale(PlainDecimal.MONEY_SCALE);
            } catch (PlainDecimal.Invalid e) {
                error("amount_usd", CsvLineError.INVALID_VALUE, e.getMessage());
                return null;
            }
        }

        /** A whole percentage in 1..MAX_PCT; 0 when it is not one (already reported). */
        private int percent(String column) {
            String text = required(column);
            if (text.isEmpty()) {
                return 0;
            }
            boolean digits = text.length() <= 6 && text.chars().allMatch(c -> c >= '0' && c <= '9');
            int value = digits ? Integer.parseInt(text) : -1;
            if (value < 1 || value > MAX_PCT) {
                error(column, CsvLineError.INVALID_VALUE, column + " '" + text
                        + "' is not a whole percentage from 1 to " + MAX_PCT);
                return 0;
            }
            return value;
        }

        private String action() {
            String action = required("action");
            if (action.isEmpty()) {
                return action;
            }
            switch (action) {
                case "alert", "queue", "block" -> {
                    return action;
                }
                default -> {
                    if (!(action.startsWith(DOWNGRADE) && isModelName(action.substring(DOWNGRADE.length())))) {
                        error("action", CsvLineError.INVALID_VALUE, "action '" + action
                                + "' is not alert, queue, block or downgrade:MODEL (e.g. downgrade:gpt-4o-mini)");
                    }
                    return action;
                }
            }
        }

        private static boolean isModelName(String model) {
            return !model.isEmpty() && model.chars().noneMatch(Character::isWhitespace);
        }

        private void error(String column, String reason, String detail) {
            errors.add(new CsvLineError(row.line(), column, reason, detail));
        }

    }
}
