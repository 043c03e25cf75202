package dev.tokenledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.aggregate.SpendDelta;
import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.CostBreakdown;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.ModelMapping;
import dev.tokenledger.avro.VarianceCause;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each cause planted alone in an otherwise clean month (the invoice is the derived cost rounded per line, as
 * providers round), then all of them together: the planted rows get their cause, nothing else leaves
 * tolerance, at least 95% of the variance is explained, and the dollars per cause add up to the variance exactly.
 */
class ReconcilerTest {

    static final PriceBook BOOK = PriceBooks.load(Path.of("src/test/resources/reconcile/pricebook.yaml"));
    static final YearMonth OCT = YearMonth.of(2026, 10);
    static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini", "eu-model");

    /** The causes a scenario can plant (within_tolerance and unexplained are what the rest gets). */
    enum Plant {
        STALE_PRICE(VarianceCause.stale_price),
        MISSING_EVENTS(VarianceCause.missing_events),
        CACHE_MISCLASSIFICATION(VarianceCause.cache_misclassification),
        ALIAS_REROUTING(VarianceCause.alias_rerouting),
        TIER_MISMATCH(VarianceCause.tier_mismatch),
        REGION_SURCHARGE(VarianceCause.region_surcharge),
        UNPRICED_MODEL(VarianceCause.unpriced_model),
        UNMAPPED_LINE(VarianceCause.unmapped_line);

        final VarianceCause cause;

        Plant(VarianceCause cause) {
            this.cause = cause;
        }
    }

    /** A month of traffic for every model with the chosen causes planted; remembers which rows they touch. */
    static final class Scenario {
        final MonthLedger ledger = new MonthLedger("openai", OCT);
        final Set<Plant> plants;
        final List<Predicate<Row>> planted = new ArrayList<>();
        BigDecimal oneOff = BigDecimal.ZERO;

        Scenario(Set<Plant> plants) {
            this.plants = plants;
            for (int d = 1; d <= OCT.lengthOfMonth(); d++) {
                LocalDate day = OCT.atDay(d);
                for (int m = 0; m < MODELS.size(); m++) {
                    String model = MODELS.get(m);
                    long scale = 1 + (d * 7L + m * 13L) % 5;
                    long uncached = 2_000_000 * scale + 12_345L * d;
                    long cacheRead = model.equals("eu-model") ? 0 : 900_000 * scale + 777L * m;
                    long output = 400_000 * scale + 4_321L * d;
                    day(day, model, uncached, cacheRead, output);
                }
            }
            if (plants.contains(Plant.UNPRICED_MODEL)) {
                for (int d = 1; d <= 3; d++) {
                    LocalDate day = OCT.atDay(d);
                    ledger.addDerived(day, "acme-llm-7b", spend(40, 40, 1_000_000, 0, 200_000, cost(0, 0, 0)));
                    invoice(day, null, "acme-llm-7b", ChargeClass.uncached_input, new BigDecimal("5.000000"), "standard");
                    planted.add(r -> r.key().model().equals("acme-llm-7b"));
                }
            }
            if (plants.contains(Plant.UNMAPPED_LINE)) {
                invoice(OCT.atDay(10), null, "mystery-model", ChargeClass.output, new BigDecimal("3.210000"), "standard");
                invoice(OCT.atDay(31), null, "Credit: service level", ChargeClass.other, new BigDecimal("-10.000000"), "standard");
                planted.add(r -> r.key().model().equals("mystery-model") || r.key().chargeClass() == ChargeClass.other);
            }
        }

        private void day(LocalDate day, String model, long uncached, long cacheRead, long output) {
            int d = day.getDayOfMonth();
            long loggedUncached = uncached;
            long loggedCacheRead = cacheRead;
            long loggedOutput = output;
            if (plants.contains(Plant.MISSING_EVENTS) && model.equals("o3") && d == 9) {
                // 30% of the day's calls never reached the pipeline.
                loggedUncached = uncached * 7 / 10;
                loggedCacheRead = cacheRead * 7 / 10;
                loggedOutput = output * 7 / 10;
                planted.add(r -> r.key().model().equals("o3") && r.key().day().getDayOfMonth() == 9);
            }
            ledger.addDerived(day, model, spend(100, 0, loggedUncached, loggedCacheRead, loggedOutput,
                    cost(rate(model, ChargeClass.uncached_input, loggedUncached), rate(model, ChargeClass.cache_read, loggedCacheRead),
                            rate(model, ChargeClass.output, loggedOutput))));

            String billedAs = model;
            if (plants.contains(Plant.ALIAS_REROUTING) && model.equals("gpt-4.1-mini") && d >= 5 && d <= 8) {
                // Half of the day's gpt-4.1-mini calls were served, and billed, as gpt-4.1-nano.
                bill(day, "gpt-4.1-nano", uncached / 2, cacheRead / 2, output / 2);
                uncached -= uncached / 2;
                cacheRead -= cacheRead / 2;
                output -= output / 2;
                planted.add(r -> r.key().model().equals("gpt-4.1-nano")
                        || (r.key().model().equals("gpt-4.1-mini") && r.key().day().getDayOfMonth() >= 5 && r.key().day().getDayOfMonth() <= 8));
            }
            if (plants.contains(Plant.CACHE_MISCLASSIFICATION) && model.equals("gpt-4o-mini") && d >= 20 && d <= 22) {
                long moved = cacheRead * 3 / 10;
                uncached += moved;
                cacheRead -= moved;
                planted.add(r -> r.key().model().equals("gpt-4o-mini") && r.key().day().getDayOfMonth() >= 20
                        && r.key().day().getDayOfMonth() <= 22 && r.key().chargeClass() != ChargeClass.output);
            }
            BigDecimal inputRate = BookRates.rate(entry(model).getStandard(), ChargeClass.uncached_input);
            if (plants.contains(Plant.STALE_PRICE) && model.equals("gpt-4o") && d >= 15) {
                inputRate = new BigDecimal("0.000003");
                planted.add(r -> r.key().model().equals("gpt-4o") && r.key().day().getDayOfMonth() >= 15
                        && r.key().chargeClass() == ChargeClass.uncached_input);
            }
            if (plants.contains(Plant.REGION_SURCHARGE) && model.equals("eu-model")) {
                invoice(day, model, model, ChargeClass.uncached_input, round(Money.times(uncached, new BigDecimal("0.0000011"))), "standard");
                invoice(day, model, model, ChargeClass.output, round(Money.times(output, new BigDecimal("0.0000044"))), "standard");
                planted.add(r -> r.key().model().equals("eu-model"));
                return;
            }
            invoice(day, model, model, ChargeClass.uncached_input, round(Money.times(uncached, inputRate)), "standard");
            if (cacheRead > 0) {
                invoice(day, model, billedAs, ChargeClass.cache_read, round(rate(model, ChargeClass.cache_read, cacheRead)), "standard");
            }
            if (plants.contains(Plant.TIER_MISMATCH) && model.equals("gpt-4o") && d == 3) {
                long priority = output * 4 / 10;
                invoice(day, model, model, ChargeClass.output, round(Money.times(priority, new BigDecimal("0.000017"))), "priority");
                invoice(day, model, model, ChargeClass.output, round(rate(model, ChargeClass.output, output - priority)), "standard");
                planted.add(r -> r.key().model().equals("gpt-4o") && r.key().day().getDayOfMonth() == 3
                        && r.key().chargeClass() == ChargeClass.output);
            } else {
                invoice(day, model, model, ChargeClass.output, round(rate(model, ChargeClass.output, output)), "standard");
            }
        }

        private void bill(LocalDate day, String model, long uncached, long cacheRead, long output) {
            invoice(day, model, model, ChargeClass.uncached_input, round(rate(model, ChargeClass.uncached_input, uncached)), "standard");
            invoice(day, model, model, ChargeClass.cache_read, round(rate(model, ChargeClass.cache_read, cacheRead)), "standard");
            invoice(day, model, model, ChargeClass.output, round(rate(model, ChargeClass.output, output)), "standard");
        }

        void invoice(LocalDate day, String model, String billed, ChargeClass cls, BigDecimal amount, String tier) {
            ledger.addInvoice(InvoiceLine.newBuilder()
                    .setLineId(day + "|" + billed + "|" + cls + "|" + tier).setProvider("openai").setBillingDay(day)
                    .setBilledModel(billed).setModel(model).setMapping(model == null ? ModelMapping.unmapped : ModelMapping.exact)
                    .setChargeClass(cls).setServiceTier(tier).setBatch(false).setAmountUsd(amount.setScale(12))
                    .setSourceFormat("openai").setSourceFile("test.json").setSourceLine("0").build());
        }

        MonthResult reconcile() {
            return new Reconciler(Tolerance.DEFAULT).reconcile(ledger, new BookRates(BOOK, "openai"));
        }

        boolean isPlanted(Row r) {
            return planted.stream().anyMatch(p -> p.test(r));
        }
    }

    static dev.tokenledger.avro.PriceEntry entry(String model) {
        return BOOK.lookup("openai", model, null, OCT.atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)).orElseThrow().entry();
    }

    static BigDecimal rate(String model, ChargeClass cls, long tokens) {
        BigDecimal r = BookRates.rate(entry(model).getStandard(), cls);
        return r == null ? Money.ZERO.toBigDecimal() : Money.times(tokens, r).toBigDecimal();
    }

    static BigDecimal round(Money m) {
        return round(m.toBigDecimal());
    }

    static BigDecimal round(BigDecimal v) {
        return v.setScale(6, RoundingMode.HALF_EVEN);
    }

    static CostBreakdown cost(BigDecimal uncached, BigDecimal cacheRead, BigDecimal output) {
        BigDecimal z = Money.ZERO.toBigDecimal();
        return CostBreakdown.newBuilder().setUncachedInput(scale(uncached)).setCacheRead(scale(cacheRead)).setCacheWrite(z)
                .setOutput(scale(output)).setReasoning(z).setFees(z).setTotal(scale(uncached.add(cacheRead).add(output))).build();
    }

    static CostBreakdown cost(long a, long b, long c) {
        return cost(BigDecimal.valueOf(a), BigDecimal.valueOf(b), BigDecimal.valueOf(c));
    }

    static BigDecimal scale(BigDecimal v) {
        return v.setScale(12);
    }

    static SpendDelta spend(long requests, long unpriced, long uncached, long cacheRead, long output, CostBreakdown cost) {
        BigDecimal z = Money.ZERO.toBigDecimal();
        return new SpendDelta(requests, requests, 0, 0, unpriced, uncached + cacheRead, uncached, cacheRead, 0, output, 0,
                cost, z, z, 0, 0, "r", null, "team");
    }

    @Test
    void aCleanMonthIsWithinToleranceRowByRow() {
        MonthResult result = new Scenario(EnumSet.noneOf(Plant.class)).reconcile();

        assertThat(result.rows()).isNotEmpty().allMatch(r -> r.cause() == VarianceCause.within_tolerance);
        assertThat(result.withinTolerance()).isTrue();
        assertThat(result.variance().abs()).isLessThan(new BigDecimal("0.01"));
    }

    @ParameterizedTest
    @EnumSource(Plant.class)
    void eachCausePlantedAloneIsFoundOnItsRowsOnly(Plant plant) {
        Scenario scenario = new Scenario(EnumSet.of(plant));
        MonthResult result = scenario.reconcile();

        List<Row> planted = result.rows().stream().filter(scenario::isPlanted).toList();
        assertThat(planted).as("rows the plant touches").isNotEmpty();
        assertThat(planted).as(describe(planted)).allMatch(r -> r.cause() == plant.cause || r.withinTolerance());
        assertThat(planted).anyMatch(r -> r.cause() == plant.cause && !r.withinTolerance());
        List<Row> others = result.rows().stream().filter(r -> !scenario.isPlanted(r)).toList();
        assertThat(others).as(describe(others)).allMatch(r -> r.cause() == VarianceCause.within_tolerance);
        assertThat(result.explainedShare()).isGreaterThanOrEqualTo(new BigDecimal("0.95"));
        assertExactTotals(result);
    }

    @Test
    void allCausesTogetherAreExplainedToAtLeast95Percent() {
        Scenario scenario = new Scenario(EnumSet.allOf(Plant.class));
        MonthResult result = scenario.reconcile();

        Map<VarianceCause, Long> found = result.rows().stream().filter(r -> !r.withinTolerance())
                .collect(Collectors.groupingBy(Row::cause, Collectors.counting()));
        assertThat(found.keySet()).as(found.toString())
                .containsAll(EnumSet.allOf(Plant.class).stream().map(p -> p.cause).toList())
                .doesNotContain(VarianceCause.unexplained);
        assertThat(result.explainedShare()).isGreaterThanOrEqualTo(new BigDecimal("0.95"));
        assertThat(result.withinTolerance()).isFalse();
        assertExactTotals(result);
    }

    @Test
    void whatNoRuleExplainsStaysUnexplainedAndVisible() {
        Scenario scenario = new Scenario(EnumSet.of(Plant.STALE_PRICE));
        scenario.invoice(OCT.atDay(12), "gpt-4.1", "gpt-4.1", ChargeClass.output, new BigDecimal("7.000000"), "standard");
        MonthResult result = scenario.reconcile();

        List<Row> open = result.rows().stream().filter(r -> r.cause() == VarianceCause.unexplained).toList();
        assertThat(open).hasSize(1);
        assertThat(open.get(0).key()).isEqualTo(new MonthLedger.CellKey(OCT.atDay(12), "gpt-4.1", ChargeClass.output));
        assertThat(result.unexplained()).isEqualByComparingTo(open.get(0).variance());
        assertThat(open.get(0).explained()).isZero();
        assertExactTotals(result);
    }

    @Test
    void stalePriceNamesTheDayBothPricesAndTheBookEntry() {
        Row row = new Scenario(EnumSet.of(Plant.STALE_PRICE)).reconcile().rows().stream()
                .filter(r -> r.cause() == VarianceCause.stale_price).findFirst().orElseThrow();

        assertThat(row.key().day()).isEqualTo(OCT.atDay(15));
        assertThat(row.evidence()).contains("from 2026-10-15", "$3/1M", "$2.5/1M", "openai/gpt-4o",
                "add the 2026-10-15 price of gpt-4o uncached_input to the book");
    }

    @Test
    void monthTotalsAreTheExactSumsOfTheRows() {
        Scenario scenario = new Scenario(EnumSet.noneOf(Plant.class));
        MonthResult result = scenario.reconcile();
        BigDecimal invoiced = result.rows().stream().map(Row::invoiced).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal derived = result.rows().stream().map(Row::derived).reduce(BigDecimal.ZERO, BigDecimal::add);

        assertThat(result.invoiced()).isEqualByComparingTo(invoiced);
        assertThat(result.derived()).isEqualByComparingTo(derived);
    }

    private static void assertExactTotals(MonthResult result) {
        BigDecimal byCause = result.byCause().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(byCause).isEqualByComparingTo(result.variance());
        BigDecimal explained = result.rows().stream().map(Row::explained).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(explained.add(result.unexplained())).isEqualByComparingTo(result.variance());
    }

    private static String describe(List<Row> rows) {
        return rows.stream().filter(r -> r.cause() != VarianceCause.within_tolerance).limit(8)
                .map(r -> r.key() + " " + r.cause() + " v=" + r.variance() + " " + r.evidence())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aOneDayMonthTellsAClassPriceFromLostEvents() {
        MonthLedger oneDay = new MonthLedger("openai", OCT);
        LocalDate day = OCT.atDay(30);
        // gpt-4o: input billed 20% over the book, the other classes agree. o3: 30% of the calls never arrived.
        oneDay.addDerived(day, "gpt-4o", spend(10, 0, 1_000_000, 400_000, 200_000, cost(rate("gpt-4o", ChargeClass.uncached_input, 1_000_000),
                rate("gpt-4o", ChargeClass.cache_read, 400_000), rate("gpt-4o", ChargeClass.output, 200_000))));
        oneDay.addDerived(day, "o3", spend(7, 0, 700_000, 280_000, 140_000, cost(rate("o3", ChargeClass.uncached_input, 700_000),
                rate("o3", ChargeClass.cache_read, 280_000), rate("o3", ChargeClass.output, 140_000))));
        String[][] lines = {
                {"gpt-4o", "uncached_input", "3.000000"}, {"gpt-4o", "cache_read", "0.500000"}, {"gpt-4o", "output", "2.000000"},
                {"o3", "uncached_input", "2.000000"}, {"o3", "cache_read", "0.200000"}, {"o3", "output", "1.600000"}};
        for (String[] l : lines) {
            oneDay.addInvoice(InvoiceLine.newBuilder().setLineId(l[0] + l[1]).setProvider("openai").setBillingDay(day)
                    .setBilledModel(l[0]).setModel(l[0]).setMapping(ModelMapping.exact).setChargeClass(ChargeClass.valueOf(l[1]))
                    .setAmountUsd(new BigDecimal(l[2]).setScale(12)).setSourceFormat("openai").setSourceFile("t").setSourceLine("0").build());
        }
        MonthResult result = new Reconciler(Tolerance.DEFAULT).reconcile(oneDay, new BookRates(BOOK, "openai"));

        Map<String, VarianceCause> causes = result.rows().stream()
                .collect(Collectors.toMap(r -> r.key().model() + " " + r.key().chargeClass(), Row::cause));
        assertThat(causes).containsEntry("gpt-4o uncached_input", VarianceCause.stale_price)
                .containsEntry("gpt-4o output", VarianceCause.within_tolerance)
                .containsEntry("o3 uncached_input", VarianceCause.missing_events)
                .containsEntry("o3 cache_read", VarianceCause.missing_events)
                .containsEntry("o3 output", VarianceCause.missing_events);
    }
}
