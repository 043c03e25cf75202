package dev.tokenledger.generator;

import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.BilledLine.BilledClass;
import dev.tokenledger.generator.PlantedCause.AliasRerouting;
import dev.tokenledger.generator.PlantedCause.CacheMisclassification;
import dev.tokenledger.generator.PlantedCause.MissingEvents;
import dev.tokenledger.generator.PlantedCause.StalePrice;
import dev.tokenledger.money.Money;
import dev.tokenledger.price.CostEngine;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceMatch;
import dev.tokenledger.price.PricingResult;
import dev.tokenledger.price.ProviderNames;
import dev.tokenledger.validate.UsageValidator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the provider invoices for generated traffic: fed every usage event the generator emits, in order, it sums the
 * true bill of the month (each call the pipeline would price once, priced by the cost engine against the book, as the
 * price stage does), plants the causes of an {@link InvoicePlan}, and on {@link #finish()} renders the invoices in the
 * providers' own formats with a manifest of what was planted and what each cause adds to the variance.
 *
 * <pre>{@code
 * InvoiceSynthesizer s = InvoiceSynthesizer.forMonth(month, book, InvoicePlan.defaults(month));
 * for (...) { UsageEvent e = generator.next(); if (s.accept(e)) { send(e); } }
 * InvoiceSet invoices = s.finish();
 * invoices.writeTo(dir);
 * }</pre>
 *
 * <p>{@link #accept} answers whether to emit the event: false for the calls an ingestion gap withholds (and for every
 * re-publication of them), which the invoice still bills. Calls the pipeline would not price (invalid, a duplicate
 * request_id, outside the month, a model the book lacks, a provider no synthesized invoice covers) are emitted and not
 * billed. Causes apply per call in a fixed order, each to the call as the previous ones left it: alias rerouting, cache
 * misclassification, stale price; each line's amount is summed at every stage, so what a cause adds to a line is the
 * difference of two rounded amounts, and the causes' parts add up to the invoice exactly.
 *
 * <p>Keeps every request_id of the month (duplicates are told by it) and one accumulator per invoice line. Not
 * thread-safe.
 */
public final class InvoiceSynthesizer {

    static final int BASELINE = 0;
    static final int ALIAS = 1;
    static final int MISCLASSIFIED = 2;
    static final int STALE = 3;
    static final int STAGES = 4;
    /** The cause each stage after the baseline plants. */
    static final List<String> STAGE_CAUSES = List.of(AliasRerouting.NAME, CacheMisclassification.NAME, StalePrice.NAME);

    /** The name fee lines carry instead of a model: a tool call is billed apart from the model that made it. */
    static final String WEB_SEARCH = "web search";

    private final YearMonth month;
    private final PriceBook book;
    private final InvoicePlan plan;
    private final AliasRerouting alias;
    private final CacheMisclassification misclassification;
    private final StalePrice stalePrice;
    private final MissingEvents gap;
    /** The book as the provider bills by: the shipped one plus the price changes a stale price keeps out of it. */
    private final PriceBook providerBook;
    private final Map<String, StaleRates> staleRates = new HashMap<>();
    private final UsageValidator validator = UsageValidator.withDefaults();
    private final Instant validatedAt;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> withheldIds = new HashSet<>();
    private final Map<BilledLine.Key, BilledLine> lines = new HashMap<>();
    private final Map<BilledLine.Key, BilledLine> withheldLines = new HashMap<>();
    private final Map<BillKey, Sum> bill = new HashMap<>();
    private final Stats stats = new Stats();
    private long misclassifiedTokens;
    private boolean finished;

    /** What the synthesizer did with the events it was given. */
    public static final class Stats {
        long accepted;
        long billed;
        long withheld;
        long withheldRecords;
        long duplicates;
        long invalid;
        long outsideMonth;
        long unpriced;
        long noInvoice;

        /** Calls on the invoices (withheld ones included). */
        public long billed() {
            return billed;
        }

        /** Calls withheld from the event output by an ingestion gap (their re-publications not counted). */
        public long withheld() {
            return withheld;
        }

        /** Records withheld: the withheld calls and every re-publication of them. */
        public long withheldRecords() {
            return withheldRecords;
        }

        public long accepted() {
            return accepted;
        }

        public long duplicates() {
            return duplicates;
        }

        public long invalid() {
            return invalid;
        }

        public long outsideMonth() {
            return outsideMonth;
        }

        public long unpriced() {
            return unpriced;
        }

        /** Calls of providers no synthesized invoice covers. */
        public long noInvoice() {
            return noInvoice;
        }
    }

    /** A stale price's rates: as the book has them and as the provider bills them, per uncached input token. */
    record StaleRates(String bookModel, BigDecimal bookRate, BigDecimal billedRate) {
    }

    private record BillKey(String provider, LocalDate day, String billedModel, String bookModel, String costClass,
                           String serviceTier, boolean batch) {
    }

    private static final class Sum {
        Money cost = Money.ZERO;
        long quantity;
    }

    private InvoiceSynthesizer(YearMonth month, PriceBook book, InvoicePlan plan) {
        this.month = month;
        this.book = book;
        this.plan = plan;
        this.alias = plan.find(AliasRerouting.class).orElse(null);
        this.misclassification = plan.find(CacheMisclassification.class).orElse(null);
        this.stalePrice = plan.find(StalePrice.class).orElse(null);
        this.gap = plan.find(MissingEvents.class).orElse(null);
        this.validatedAt = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        this.providerBook = stalePrice == null ? null : PriceBook.of(book.entries());
        if (alias != null && book.lookup(alias.provider(), alias.billedModel(), null,
                month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)).isEmpty()) {
            throw new IllegalArgumentException("alias_rerouting bills " + alias.billedModel() + ", which the price book"
                    + " does not hold for " + alias.provider());
        }
    }

    /** A synthesizer for one UTC month, pricing with {@code book} (the book the pipeline prices with). */
    public static InvoiceSynthesizer forMonth(YearMonth month, PriceBook book, InvoicePlan plan) {
        return new InvoiceSynthesizer(Objects.requireNonNull(month), Objects.requireNonNull(book), Objects.requireNonNull(plan));
    }

    public YearMonth month() {
        return month;
    }

    public InvoicePlan plan() {
        return plan;
    }

    public Stats stats() {
        return stats;
    }

    /** {@link #accept(UsageEvent)} for an event; a malformed record is emitted and billed for nothing. */
    public boolean accept(GeneratedRecord record) {
        return record instanceof GeneratedRecord.Event e ? accept(e.event()) : true;
    }

    /** Bills the event if the pipeline would price it once; whether to emit it (false: an ingestion gap withholds it). */
    public boolean accept(UsageEvent event) {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        stats.accepted++;
        if (!validator.validate(event, validatedAt).isEmpty()) {
            stats.invalid++;
            return true;
        }
        String id = event.getRequestId();
        if (!seen.add(id)) {
            stats.duplicates++;
            boolean withheld = withheldIds.contains(id);
            stats.withheldRecords += withheld ? 1 : 0;
            return !withheld;
        }
        LocalDate day = LocalDate.ofInstant(event.getTimestamp(), ZoneOffset.UTC);
        if (!YearMonth.from(day).equals(month)) {
            stats.outsideMonth++;
            return true;
        }
        String provider = ProviderNames.canonical(event.getProvider());
        InvoiceShape shape = InvoiceShape.of(provider);
        if (shape == null) {
            stats.noInvoice++;
            return true;
        }
        PricingResult base = CostEngine.price(event, book);
        if (!base.priced()) {
            stats.unpriced++;
            return true;
        }
        stats.billed++;
        addToBill(provider, day, event, base);
        boolean withhold = gap != null && gap.provider().equals(provider) && sameModel(gap.model(), base)
                && !event.getTimestamp().isBefore(gap.from()) && event.getTimestamp().isBefore(gap.until());
        if (withhold) {
            stats.withheld++;
            stats.withheldRecords++;
            withheldIds.add(id);
            addLines(withheldLines, BASELINE, shape, provider, day, event, base, book);
        }
        plant(shape, provider, day, event, base);
        return !withhold;
    }

    /** The call at each stage: as logged, then as each cause in turn leaves it; every stage summed into the lines. */
    private void plant(InvoiceShape shape, String provider, LocalDate day, UsageEvent event, PricingResult base) {
        UsageEvent billed = event;
        PricingResult result = base;
        addLines(lines, BASELINE, shape, provider, day, billed, result, book);
        if (alias != null && alias.provider().equals(provider) && sameModel(alias.loggedModel(), result)
                && within(day, alias.from(), alias.to())) {
            billed = UsageEvent.newBuilder(billed).setResponseModel(alias.billedModel()).build();
            result = priced(billed, book);
        }
        addLines(lines, ALIAS, shape, provider, day, billed, result, book);
        if (misclassification != null && misclassification.provider().equals(provider)
                && sameModel(misclassification.model(), result)
                && within(day, misclassification.from(), misclassification.to())) {
            long moved = new BigDecimal(billed.getCacheReadInputTokens()).multiply(misclassification.share())
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            if (moved > 0) {
                misclassifiedTokens += moved;
                billed = UsageEvent.newBuilder(billed)
                        .setCacheReadInputTokens(billed.getCacheReadInputTokens() - moved).build();
                result = priced(billed, book);
            }
        }
        addLines(lines, MISCLASSIFIED, shape, provider, day, billed, result, book);
        PriceBook stageBook = book;
        if (stalePrice != null && stalePrice.provider().equals(provider) && sameModel(stalePrice.model(), result)
                && !day.isBefore(stalePrice.from())) {
            stalePriceOf(billed);
            stageBook = providerBook;
            result = priced(billed, providerBook);
        }
        addLines(lines, STALE, shape, provider, day, billed, result, stageBook);
    }

    private static PricingResult priced(UsageEvent event, PriceBook book) {
        PricingResult r = CostEngine.price(event, book);
        if (!r.priced()) {
            throw new IllegalStateException("the book no longer prices " + r.billedModel());
        }
        return r;
    }

    /**
     * Puts the provider's new price into its book once per book entry: the version in force on the change day, with
     * every uncached input rate (standard, batch, flex, priority, long context) raised, in force from that day.
     */
    private void stalePriceOf(UsageEvent event) {
        Instant from = stalePrice.from().atStartOfDay().toInstant(ZoneOffset.UTC);
        PriceMatch match = book.lookup(event.getProvider(), CostEngine.billedModel(event), event.getRegion(), from)
                .orElseThrow(() -> new IllegalStateException("no price for " + CostEngine.billedModel(event) + " on " + from));
        PriceEntry entry = match.entry();
        String key = PriceBook.keyOf(entry);
        if (staleRates.containsKey(key)) {
            return;
        }
        BigDecimal factor = BigDecimal.ONE.add(stalePrice.increase());
        PriceEntry.Builder changed = PriceEntry.newBuilder(entry).setEffectiveFrom(from)
                .setStandard(raised(entry.getStandard(), factor))
                .setBatch(raised(entry.getBatch(), factor))
                .setFlex(raised(entry.getFlex(), factor))
                .setPriority(raised(entry.getPriority(), factor));
        List<LongContextTier> tiers = new ArrayList<>();
        for (LongContextTier t : entry.getLongContextTiers()) {
            tiers.add(new LongContextTier(t.getAboveInputTokens(), raised(t.getRates(), factor)));
        }
        providerBook.upsert(changed.setLongContextTiers(tiers).build());
        BigDecimal input = entry.getStandard().getInput();
        staleRates.put(key, new StaleRates(entry.getModel(), input, input == null ? null : input.multiply(factor)));
    }

    private static PriceRates raised(PriceRates rates, BigDecimal factor) {
        if (rates == null || rates.getInput() == null) {
            return rates;
        }
        return PriceRates.newBuilder(rates).setInput(rates.getInput().multiply(factor)).build();
    }

    /** The cost of a call split into its invoice lines, added at one stage. */
    private static void addLines(Map<BilledLine.Key, BilledLine> into, int stage, InvoiceShape shape, String provider,
                                 LocalDate day, UsageEvent e, PricingResult r, PriceBook pricedBy) {
        String scope = scopeOf(provider, e);
        String tier = tierOf(e);
        boolean longContext = r.price().getTier().contains(":above_");
        String model = r.billedModel();
        String bookModel = r.price().getModel();
        String region = e.getRegion();
        long cacheRead = e.getCacheReadInputTokens();
        long cacheWrite = e.getCacheCreationInputTokens();
        long cacheWrite1h = e.getCacheCreation1hInputTokens();
        long reasoning = e.getReasoningOutputTokens();
        Money write1h = cacheWrite1h == 0 ? Money.ZERO : cacheWrite1h == cacheWrite ? r.cacheWrite()
                : priced(UsageEvent.newBuilder(e).setCacheCreationInputTokens(cacheWrite1h).build(), pricedBy).cacheWrite();
        Line line = (billedClass, cost, quantity) -> {
            if (cost.isZero() && quantity == 0) {
                return;
            }
            boolean fee = billedClass == BilledClass.FEES;
            BilledLine.Key key = new BilledLine.Key(provider, day, scope, region, fee ? WEB_SEARCH : model,
                    fee ? null : bookModel, billedClass, tier, e.getBatch(), longContext && !fee);
            into.computeIfAbsent(key, k -> new BilledLine(k, STAGES)).add(stage, cost, quantity);
        };
        line.add(BilledClass.UNCACHED_INPUT, r.uncachedInput(), e.getInputTokens() - cacheRead - cacheWrite);
        line.add(BilledClass.CACHE_READ, r.cacheRead(), cacheRead);
        line.add(BilledClass.CACHE_WRITE_5M, r.cacheWrite().minus(write1h), cacheWrite - cacheWrite1h);
        line.add(BilledClass.CACHE_WRITE_1H, write1h, cacheWrite1h);
        if (shape.reasoningLines) {
            line.add(BilledClass.OUTPUT, r.output(), e.getOutputTokens() - reasoning);
            line.add(BilledClass.REASONING, r.reasoning(), reasoning);
        } else {
            line.add(BilledClass.OUTPUT, r.output().plus(r.reasoning()), e.getOutputTokens());
        }
        if (!r.fees().isZero()) {
            // A tool call the book has no fee for is left off: what the provider charges for it is not known.
            line.add(BilledClass.FEES, r.fees(), e.getWebSearchCalls());
        }
    }

    private interface Line {
        void add(BilledClass billedClass, Money cost, long quantity);
    }

    private void addToBill(String provider, LocalDate day, UsageEvent e, PricingResult r) {
        String tier = e.getBatch() ? null : tierOf(e) == null ? "standard" : tierOf(e);
        String model = r.billedModel();
        String bookModel = r.price().getModel();
        long cacheRead = e.getCacheReadInputTokens();
        long cacheWrite = e.getCacheCreationInputTokens();
        long reasoning = e.getReasoningOutputTokens();
        addToBill(new BillKey(provider, day, model, bookModel, "uncached_input", tier, e.getBatch()), r.uncachedInput(),
                e.getInputTokens() - cacheRead - cacheWrite);
        addToBill(new BillKey(provider, day, model, bookModel, "cache_read", tier, e.getBatch()), r.cacheRead(), cacheRead);
        addToBill(new BillKey(provider, day, model, bookModel, "cache_write", tier, e.getBatch()), r.cacheWrite(), cacheWrite);
        addToBill(new BillKey(provider, day, model, bookModel, "output", tier, e.getBatch()), r.output(),
                e.getOutputTokens() - reasoning);
        addToBill(new BillKey(provider, day, model, bookModel, "reasoning", tier, e.getBatch()), r.reasoning(), reasoning);
        addToBill(new BillKey(provider, day, model, bookModel, "fees", tier, e.getBatch()), r.fees(), e.getWebSearchCalls());
    }

    private void addToBill(BillKey key, Money cost, long quantity) {
        if (cost.isZero() && quantity == 0) {
            return;
        }
        Sum sum = bill.computeIfAbsent(key, k -> new Sum());
        sum.cost = sum.cost.plus(cost);
        sum.quantity += quantity;
    }

    /** The invoices and the manifest; the synthesizer takes no more events. */
    public InvoiceSet finish() {
        finished = true;
        List<BillCell> cells = new ArrayList<>();
        bill.forEach((k, s) -> cells.add(new BillCell(k.provider(), k.day(), k.billedModel(), k.bookModel(), k.costClass(),
                k.serviceTier(), k.batch(), s.cost, s.quantity)));
        cells.sort(BillCell.ORDER);
        List<BilledLine> all = sorted(lines);
        List<PlantedVariance> manifest = PlantedVariance.of(plan, all, sorted(withheldLines), staleRates.values(),
                misclassifiedTokens, stats.withheld);
        return InvoiceSet.render(month, all, manifest, cells, stats);
    }

    private static List<BilledLine> sorted(Map<BilledLine.Key, BilledLine> lines) {
        List<BilledLine> out = new ArrayList<>(lines.values());
        out.sort((a, b) -> BilledLine.Key.ORDER.compare(a.key, b.key));
        return out;
    }

    /** Who is billed: OpenAI projects and Anthropic workspaces per team (the default one when untagged), one cloud account. */
    static String scopeOf(String provider, UsageEvent e) {
        String team = e.getTeam();
        return switch (provider) {
            case ProviderNames.OPENAI -> team == null ? null : "proj_" + team;
            case ProviderNames.ANTHROPIC -> team == null ? null : "wrkspc_" + team;
            case ProviderNames.AWS_BEDROCK -> InvoiceSet.AWS_ACCOUNT;
            default -> InvoiceSet.GCP_PROJECT;
        };
    }

    /** flex or priority; null for standard (and for a batch call, whose flag says it all). */
    static String tierOf(UsageEvent e) {
        String tier = e.getServiceTier();
        if (e.getBatch() || tier == null) {
            return null;
        }
        String t = tier.toLowerCase(Locale.ROOT);
        return t.equals("flex") || t.equals("priority") ? t : null;
    }

    /** A planned model names the book model, with or without its date. */
    static boolean sameModel(String planned, PricingResult r) {
        String model = r.price().getModel();
        return planned.equalsIgnoreCase(model) || planned.equalsIgnoreCase(ModelDisplayNames.undated(model));
    }

    private static boolean within(LocalDate day, LocalDate from, LocalDate to) {
        return !day.isBefore(from) && !day.isAfter(to);
    }
}
