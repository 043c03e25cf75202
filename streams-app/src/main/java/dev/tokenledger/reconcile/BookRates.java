package dev.tokenledger.reconcile;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceMatch;
import dev.tokenledger.price.ProviderNames;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The price book's unit prices as the causes need them: what the book charges per token of a class on a
 * day, at a tier, and in a region. Read-only; a reconcile pass takes the book as it is then.
 */
public final class BookRates {

    private static final BigDecimal HALF = new BigDecimal("0.5");

    private final PriceBook book;
    private final String provider;
    private Map<String, TreeSet<String>> regionsByModel;

    public BookRates(PriceBook book, String provider) {
        this.book = book;
        this.provider = ProviderNames.canonical(provider);
    }

    /** The version in force at noon UTC of the day, if the book holds the model. */
    Optional<PriceEntry> entry(String model, LocalDate day) {
        return book.lookup(provider, model, null, noon(day)).map(PriceMatch::entry);
    }

    /** USD per token of the class at the standard tier, or null when the book has none. */
    BigDecimal rate(String model, ChargeClass cls, LocalDate day) {
        return entry(model, day).map(e -> rate(e.getStandard(), cls)).orElse(null);
    }

    /**
     * USD per token at a tier ({@code batch}, {@code flex}, {@code priority}) as the cost engine charges it:
     * the tier's price when the book has one, batch falling back to half the standard price, flex and
     * priority to the standard price. Null when the book has no standard price either.
     */
    BigDecimal tierRate(String model, ChargeClass cls, String tier, LocalDate day) {
        Optional<PriceEntry> e = entry(model, day);
        if (e.isEmpty()) {
            return null;
        }
        BigDecimal standard = rate(e.get().getStandard(), cls);
        PriceRates tierRates = switch (tier) {
            case "batch" -> e.get().getBatch();
            case "flex" -> e.get().getFlex();
            case "priority" -> e.get().getPriority();
            default -> e.get().getStandard();
        };
        BigDecimal r = tierRates == null ? null : rate(tierRates, cls);
        if (r != null) {
            return r;
        }
        return standard == null ? null : "batch".equals(tier) ? standard.multiply(HALF) : standard;
    }

    /** A regional entry of the model (its region and rate/global-rate ratio for the class), if the book has one. */
    Optional<Regional> regional(String model, ChargeClass cls, LocalDate day) {
        Optional<PriceEntry> global = entry(model, day);
        if (global.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal base = rate(global.get().getStandard(), cls);
        if (base == null || base.signum() == 0) {
            return Optional.empty();
        }
        String name = global.get().getModel();
        return regions(name).stream()
                .flatMap(region -> book.lookup(provider, name, region, noon(day)).stream()
                        .filter(m -> region.equals(m.entry().getRegion()))
                        .map(m -> rate(m.entry().getStandard(), cls))
                        .filter(r -> r != null && r.compareTo(base) != 0)
                        .map(r -> new Regional(region, r.divide(base, MathContext.DECIMAL64))))
                .findFirst();
    }

    /**
     * The regions the book has entries for, per model of this provider, read from one snapshot of the book on first
     * use: {@link PriceBook#entries()} copies every entry, too much to do for each row a pass looks at.
     */
    private List<String> regions(String model) {
        if (regionsByModel == null) {
            regionsByModel = new HashMap<>();
            for (PriceEntry e : book.entries()) {
                if (e.getRegion() != null && ProviderNames.canonical(e.getProvider()).equals(provider)) {
                    regionsByModel.computeIfAbsent(e.getModel(), m -> new TreeSet<>()).add(e.getRegion());
                }
            }
        }
        return List.copyOf(regionsByModel.getOrDefault(model, new TreeSet<>()));
    }

    /** A regional price: the region and its ratio to the global price. */
    record Regional(String region, BigDecimal ratio) {
    }

    /** The book entry as evidence names it: {@code openai/gpt-4o (in force since 2024-05-13)}. */
    String describe(String model, LocalDate day) {
        return entry(model, day).map(e -> provider + "/" + e.getModel()
                        + (e.getEffectiveFrom().toEpochMilli() == 0 ? "" : " (in force since "
                        + e.getEffectiveFrom().atOffset(ZoneOffset.UTC).toLocalDate() + ")"))
                .orElse(provider + "/" + model + " (not in the book)");
    }

    static BigDecimal rate(PriceRates r, ChargeClass cls) {
        return switch (cls) {
            case uncached_input -> r.getInput();
            case cache_read -> r.getCacheRead();
            case cache_write -> r.getCacheWrite5m();
            case output -> r.getOutput();
            case reasoning -> r.getReasoning() != null ? r.getReasoning() : r.getOutput();
            case fees, other -> null;
        };
    }

    private static Instant noon(LocalDate day) {
        return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
}
