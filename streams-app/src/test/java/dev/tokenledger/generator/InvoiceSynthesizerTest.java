package dev.tokenledger.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.invoice.InvalidInvoiceException;
import dev.tokenledger.invoice.InvoiceFile;
import dev.tokenledger.invoice.InvoiceFormat;
import dev.tokenledger.invoice.InvoiceReader;
import dev.tokenledger.invoice.ModelMapper;
import dev.tokenledger.invoice.ModelOverrides;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.price.PricingResult;
import dev.tokenledger.validate.ParseResult;
import dev.tokenledger.validate.UsageEventJson;
import dev.tokenledger.validate.UsageValidator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invoices for generated traffic, read back through the project's own invoice readers and compared with the
 * cost the pipeline derives from the events the generator emits (parsed, validated, deduplicated and priced here
 * as the pipeline does, independently of the synthesizer).
 */
class InvoiceSynthesizerTest {

    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    private static final int RECORDS = 20_000;
    private static final BigDecimal HALF_MICRO = new BigDecimal("0.0000005");
    private static final BigDecimal HALF_TEN_NANO = new BigDecimal("0.00000000005");
    private static final Map<String, InvoiceFormat> FORMATS = Map.of(
            "openai-costs-2026-10.json", InvoiceFormat.OPENAI,
            "anthropic-cost-report-2026-10.json", InvoiceFormat.ANTHROPIC,
            "aws-focus-2026-10.csv", InvoiceFormat.FOCUS,
            "gcp-focus-2026-10.csv", InvoiceFormat.FOCUS);

    private static PriceBook book;
    private static Run none;
    private static Run all;

    /** A cell of the comparison: what the reconcile stage compares. */
    record Cell(String provider, LocalDate day, String model, String chargeClass) {
    }

    /** One synthesizer run: the records emitted (as JSON lines) and the invoices. */
    record Run(List<String> emitted, InvoiceSet set) {
    }

    @BeforeAll
    static void generate() {
        book = PriceBooks.loadDefault();
        none = run(42, InvoicePlan.none());
        all = run(42, InvoicePlan.defaults(MONTH));
    }

    static Run run(long seed, InvoicePlan plan) {
        Instant start = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.defaults(seed, start)
                .withEventsPerSecondOfEventTime((double) RECORDS / (MONTH.lengthOfMonth() * 86_400L))
                .withDuplicateRate(0.02).withMalformedRate(0.005));
        InvoiceSynthesizer synthesizer = InvoiceSynthesizer.forMonth(MONTH, book, plan);
        List<String> emitted = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            GeneratedRecord record = generator.nextRecord();
            if (synthesizer.accept(record)) {
                byte[] bytes = record instanceof GeneratedRecord.Event e ? UsageEventJson.toBytes(e.event())
                        : ((GeneratedRecord.Malformed) record).payload();
                emitted.add(new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return new Run(emitted, synthesizer.finish());
    }

    static InvoiceSet only(String cause) {
        return run(42, InvoicePlan.select(cause, InvoicePlan.defaults(MONTH))).set();
    }

    /** The events the pipeline would price once: parsed, valid, first of their request_id. */
    static List<UsageEvent> pricedOnce(List<String> lines) {
        UsageValidator validator = UsageValidator.withDefaults();
        Instant now = MONTH.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        List<UsageEvent> out = new ArrayList<>();
        for (String line : lines) {
            ParseResult parsed = UsageEventJson.parse(line);
            if (parsed.event() != null && validator.validate(parsed.event(), now).isEmpty()
                    && seen.add(parsed.event().getRequestId())) {
                out.add(parsed.event());
            }
        }
        return out;
    }

    /**
     * Derived cost per cell, priced by the cost engine; reasoning as output where the provider bills it so (all but
     * the Gemini API, whose SKUs bill thinking tokens apart).
     */
    static Map<Cell, Money> derived(List<String> lines) {
        Map<Cell, Money> cells = new TreeMap<>(CELL_ORDER);
        for (UsageEvent e : pricedOnce(lines)) {
            PricingResult r = CostEngine.price(e, book);
            if (!r.priced()) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(e.getTimestamp(), ZoneOffset.UTC);
            String model = r.price().getModel();
            String p = e.getProvider();
            boolean reasoningApart = p.equals("gcp.gemini");
            add(cells, new Cell(p, day, model, "uncached_input"), r.uncachedInput());
            add(cells, new Cell(p, day, model, "cache_read"), r.cacheRead());
            add(cells, new Cell(p, day, model, "cache_write"), r.cacheWrite());
            add(cells, new Cell(p, day, model, "output"), reasoningApart ? r.output() : r.output().plus(r.reasoning()));
            add(cells, new Cell(p, day, model, "reasoning"), reasoningApart ? r.reasoning() : Money.ZERO);
            add(cells, new Cell(p, day, null, "fees"), r.fees());
        }
        return cells;
    }

    private static final java.util.Comparator<Cell> CELL_ORDER = java.util.Comparator.comparing(Cell::provider)
            .thenComparing(Cell::day).thenComparing(Cell::model, java.util.Comparator.nullsFirst(String::compareTo))
            .thenComparing(Cell::chargeClass);

    private static void add(Map<Cell, Money> cells, Cell cell, Money amount) {
        if (!amount.isZero()) {
            cells.merge(cell, amount, Money::plus);
        }
    }

    static List<InvoiceFile> read(InvoiceSet set) {
        InvoiceReader reader = new InvoiceReader(new ModelMapper(book, ModelOverrides.NONE));
        List<InvoiceFile> files = new ArrayList<>();
        for (Map.Entry<String, InvoiceFormat> f : FORMATS.entrySet()) {
            try {
                files.add(reader.read(f.getKey(), set.files().get(f.getKey()), null));
            } catch (InvalidInvoiceException e) {
                throw new AssertionError(f.getKey() + ": " + e.errors(), e);
            }
        }
        return files;
    }

    /** Invoiced amount per cell, and how many lines make it up. */
    static Map<Cell, Money> invoiced(InvoiceSet set, Map<Cell, Integer> lineCounts) {
        Map<Cell, Money> cells = new TreeMap<>(CELL_ORDER);
        for (InvoiceFile file : read(set)) {
            for (InvoiceLine line : file.lines()) {
                Cell cell = new Cell(line.getProvider(), line.getBillingDay(), line.getModel(), line.getChargeClass().name());
                cells.merge(cell, Money.of(line.getAmountUsd()), Money::plus);
                lineCounts.merge(cell, 1, Integer::sum);
            }
        }
        return cells;
    }

    static Map<Cell, Money> invoiced(InvoiceSet set) {
        return invoiced(set, new HashMap<>());
    }

    @Test
    void shouldWriteFilesTheProvidersReadersAccept() {
        for (InvoiceFile file : read(all.set())) {
            assertThat(file.format()).as(file.fileName()).isEqualTo(FORMATS.get(file.fileName()));
            assertThat(file.lines()).as(file.fileName()).isNotEmpty();
            // Every token line maps onto the book; a tool fee names no model, as the providers bill it.
            assertThat(file.lines().stream().filter(line -> (line.getModel() == null) != (line.getChargeClass() == ChargeClass.fees))
                    .map(InvoiceLine::getLineId).toList()).as(file.fileName()).isEmpty();
            assertThat(file.skippedServices()).isEmpty();
            assertThat(all.set().lineCounts().get(file.fileName())).isEqualTo(file.lines().size());
            String provider = file.lines().get(0).getProvider();
            assertThat(file.lines()).allSatisfy(line -> assertThat(line.getProvider()).isEqualTo(provider));
            assertThat(file.totalUsd()).as(file.fileName() + " total").isEqualTo(all.set().invoicedUsd().get(provider));
        }
        assertThat(all.set().files().keySet()).containsExactly("openai-costs-2026-10.json",
                "anthropic-cost-report-2026-10.json", "aws-focus-2026-10.csv", "gcp-focus-2026-10.csv", InvoiceSet.MANIFEST);
        // A month of daily buckets at seven a page: five pages, complete.
        assertThat(all.set().files().get("openai-costs-2026-10.json")).startsWith("[").contains("\"has_more\" : true")
                .contains("\"line_item\" : \"gpt-4o-2024-08-06, cached input\"").contains("\"line_item\" : \"batch | ");
        assertThat(all.set().files().get("aws-focus-2026-10.csv"))
                .contains(",Claude Sonnet 4.5 (Amazon Bedrock Edition),").contains(",USE1-ClaudeSonnet4.5-cache-read-input-token-count");
    }

    @Test
    void shouldBillTheDerivedCostRoundedPerLineWhenNothingIsPlanted() {
        Map<Cell, Integer> lines = new HashMap<>();
        Map<Cell, Money> invoiced = invoiced(none.set(), lines);
        Map<Cell, Money> derived = derived(none.emitted());

        assertThat(invoiced.keySet()).containsExactlyElementsOf(derived.keySet());
        int rounded = 0;
        for (Map.Entry<Cell, Money> cell : derived.entrySet()) {
            BigDecimal half = cell.getKey().provider().equals("openai") || cell.getKey().provider().equals("anthropic")
                    ? HALF_MICRO : HALF_TEN_NANO;
            BigDecimal gap = invoiced.get(cell.getKey()).minus(cell.getValue()).toBigDecimal().abs();
            assertThat(gap).as(cell.getKey().toString()).isLessThanOrEqualTo(half.multiply(BigDecimal.valueOf(lines.get(cell.getKey()))));
            rounded += gap.signum();
        }
        assertThat(rounded).as("cells that differ by their lines' rounding").isPositive();
        assertThat(none.set().manifest()).isEmpty();
    }

    @Test
    void shouldSumTheInvoicesToTheDerivedCostRoundedPlusEachPlantedCause() {
        Money changedByCauses = Money.ZERO;
        for (PlantedVariance p : all.set().manifest()) {
            if (!p.cause().equals(PlantedCause.MissingEvents.NAME)) {
                changedByCauses = changedByCauses.plus(Money.of(p.varianceUsd()));
            }
        }
        Money allTotal = all.set().invoicedUsd().values().stream().map(Money::of).reduce(Money.ZERO, Money::plus);
        Money noneTotal = none.set().invoicedUsd().values().stream().map(Money::of).reduce(Money.ZERO, Money::plus);

        assertThat(allTotal.minus(noneTotal)).isEqualTo(changedByCauses);
        assertThat(all.set().manifest()).extracting(PlantedVariance::cause)
                .containsExactly("stale_price", "missing_events", "cache_misclassification", "alias_rerouting");
        assertThat(all.set().manifest()).allSatisfy(p -> assertThat(p.cells()).as(p.cause()).isNotEmpty());
    }

    @Test
    void shouldChangeOnlyTheStalePricesCellsByTheManifestAmount() {
        PlantedVariance p = assertOnlyItsCellsChange("stale_price");

        assertThat(p.chargeClasses()).containsExactly("uncached_input");
        assertThat(p.models()).containsExactly("gpt-4o-2024-08-06");
        assertThat(p.days()).allSatisfy(d -> assertThat(d.getDayOfMonth()).isGreaterThanOrEqualTo(15)).hasSize(17);
        // +20% of what the book says gpt-4o's uncached input cost from the 15th, exactly (0.0000025 -> 0.000003 a token).
        Money bookCost = none.set().bill().stream()
                .filter(c -> c.bookModel().equals("gpt-4o-2024-08-06") && c.costClass().equals("uncached_input")
                        && c.day().getDayOfMonth() >= 15)
                .map(BillCell::cost).reduce(Money.ZERO, Money::plus);
        assertThat(p.exactVarianceUsd()).isEqualByComparingTo(bookCost.toBigDecimal().multiply(new BigDecimal("0.2")));
        assertThat(p.details()).containsEntry("book_input_usd_per_token", "0.0000025")
                .containsEntry("billed_input_usd_per_token", "0.000003");
    }

    @Test
    void shouldMoveCacheReadsToUncachedInputOnTheMisclassifiedDays() {
        PlantedVariance p = assertOnlyItsCellsChange("cache_misclassification");

        assertThat(p.models()).containsExactly("claude-haiku-4-5-20251001");
        assertThat(p.days()).containsExactly(MONTH.atDay(20), MONTH.atDay(21), MONTH.atDay(22));
        for (PlantedVariance.Cell cell : p.cells()) {
            assertThat(cell.varianceUsd().signum()).as(cell.toString())
                    .isEqualTo(cell.chargeClass().equals("cache_read") ? -1 : 1);
        }
        assertThat(p.varianceUsd()).isPositive();
        assertThat(Long.parseLong(p.details().get("tokens_moved"))).isPositive();
    }

    @Test
    void shouldBillTheReroutedCallsAsTheOtherModel() {
        PlantedVariance p = assertOnlyItsCellsChange("alias_rerouting");

        assertThat(p.models()).containsExactly("gpt-5-mini-2025-08-07", "gpt-5-nano-2025-08-07");
        assertThat(p.days()).allSatisfy(d -> assertThat(d.getDayOfMonth()).isGreaterThanOrEqualTo(25));
        for (PlantedVariance.Cell cell : p.cells()) {
            assertThat(cell.varianceUsd().signum()).as(cell.toString())
                    .isEqualTo(cell.model().equals("gpt-5-mini-2025-08-07") ? -1 : 1);
        }
        // The cheaper model billed: the month's variance is negative.
        assertThat(p.varianceUsd()).isNegative();
    }

    @Test
    void shouldWithholdTheGapsEventsAndStillBillThem() {
        Run withheld = run(42, InvoicePlan.select("missing_events", InvoicePlan.defaults(MONTH)));
        PlantedVariance p = withheld.set().manifest().get(0);
        Instant from = Instant.parse("2026-10-09T06:00:00Z");
        Instant until = Instant.parse("2026-10-09T12:00:00Z");

        // The invoices are the unplanted ones: the calls were made and billed.
        for (String file : FORMATS.keySet()) {
            assertThat(withheld.set().files().get(file)).as(file).isEqualTo(none.set().files().get(file));
        }
        List<UsageEvent> events = pricedOnce(withheld.emitted());
        assertThat(events).noneMatch(e -> e.getRequestModel().equals("claude-sonnet-4-5")
                && !e.getTimestamp().isBefore(from) && e.getTimestamp().isBefore(until));
        long calls = withheld.set().stats().withheld();
        assertThat(calls).isPositive().isEqualTo(Long.parseLong(p.details().get("calls_withheld")));
        assertThat(pricedOnce(none.emitted())).hasSize(events.size() + (int) calls);
        // What the pipeline will miss, cell by cell, is what the manifest says.
        Map<Cell, Money> full = derived(none.emitted());
        Map<Cell, Money> short_ = derived(withheld.emitted());
        Map<Cell, Money> missing = new TreeMap<>(CELL_ORDER);
        full.forEach((cell, amount) -> {
            Money gapAmount = amount.minus(short_.getOrDefault(cell, Money.ZERO));
            if (!gapAmount.isZero()) {
                missing.put(cell, gapAmount);
            }
        });
        assertThat(missing).hasSameSizeAs(p.cells());
        for (PlantedVariance.Cell cell : p.cells()) {
            assertThat(missing.get(new Cell("anthropic", cell.day(), cell.model(), cell.chargeClass())).toBigDecimal())
                    .as(cell.toString()).isEqualTo(cell.varianceUsd());
        }
        assertThat(p.models()).containsExactly("claude-sonnet-4-5-20250929");
        assertThat(p.days()).containsExactly(MONTH.atDay(9));
    }

    @Test
    void shouldBeDeterministicForASeed() {
        InvoiceSet again = run(42, InvoicePlan.defaults(MONTH)).set();
        InvoiceSet otherSeed = run(7, InvoicePlan.defaults(MONTH)).set();

        assertThat(again.files()).isEqualTo(all.set().files());
        assertThat(otherSeed.files().get("openai-costs-2026-10.json"))
                .isNotEqualTo(all.set().files().get("openai-costs-2026-10.json"));
    }

    @Test
    void shouldPlaceEveryDefaultCauseOnTheOneDayADemoPlays() {
        LocalDate day = LocalDate.of(2026, 11, 3);
        InvoicePlan plan = InvoicePlan.defaults(day, day);

        assertThat(plan.causes()).hasSize(4);
        assertThat(plan.find(PlantedCause.StalePrice.class).orElseThrow().from()).isEqualTo(day);
        assertThat(plan.find(PlantedCause.MissingEvents.class).orElseThrow().from()).isEqualTo(Instant.parse("2026-11-03T06:00:00Z"));
        PlantedCause.CacheMisclassification misclassified = plan.find(PlantedCause.CacheMisclassification.class).orElseThrow();
        assertThat(List.of(misclassified.from(), misclassified.to())).containsOnly(day);
        PlantedCause.AliasRerouting rerouted = plan.find(PlantedCause.AliasRerouting.class).orElseThrow();
        assertThat(List.of(rerouted.from(), rerouted.to())).containsOnly(day);
    }

    @Test
    void shouldRefuseAReroutingToAModelTheBookLacks() {
        InvoicePlan plan = new InvoicePlan(List.of(new PlantedCause.AliasRerouting("openai", "gpt-5-mini", "gpt-9-ultra",
                MONTH.atDay(1), MONTH.atDay(2))));

        assertThatThrownBy(() -> InvoiceSynthesizer.forMonth(MONTH, book, plan))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpt-9-ultra");
        assertThatThrownBy(() -> InvoicePlan.select("stale_price,typo", InvoicePlan.defaults(MONTH)))
                .hasMessageContaining("unknown cause 'typo'");
    }

    /** The cause planted alone changes exactly the cells the manifest names, each by exactly its amount. */
    private static PlantedVariance assertOnlyItsCellsChange(String cause) {
        InvoiceSet alone = only(cause);
        PlantedVariance p = alone.manifest().get(0);
        Map<Cell, Money> planted = invoiced(alone);
        Map<Cell, Money> unplanted = invoiced(none.set());
        Set<Cell> cells = new HashSet<>(planted.keySet());
        cells.addAll(unplanted.keySet());
        Map<Cell, Money> changed = new TreeMap<>(CELL_ORDER);
        for (Cell cell : cells) {
            Money d = planted.getOrDefault(cell, Money.ZERO).minus(unplanted.getOrDefault(cell, Money.ZERO));
            if (!d.isZero()) {
                changed.put(cell, d);
            }
        }
        assertThat(changed).as(cause).hasSameSizeAs(p.cells()).isNotEmpty();
        for (PlantedVariance.Cell cell : p.cells()) {
            assertThat(changed.get(new Cell(p.provider(), cell.day(), cell.model(), cell.chargeClass())))
                    .as(cause + " " + cell).isEqualTo(Money.of(cell.varianceUsd()));
        }
        assertThat(alone.manifest()).hasSize(1);
        assertThat(ChargeClass.valueOf(p.chargeClasses().get(0))).isNotNull();
        return p;
    }
}
