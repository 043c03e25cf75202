package dev.tokenledger.price;

import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One price-book version with its rates resolved up front for every mode and long-context tier:
 * built once when the book changes, read by every event priced with this version.
 */
final class RateCard {

    static final String WEB_SEARCH_FEE = "web_search";

    private final PriceEntry entry;
    private final String key;
    private final long effectiveFromMillis;
    /** Long-context thresholds, ascending; tier {@code i + 1} of {@link #rates} belongs to threshold {@code i}. */
    private final long[] thresholds;
    /** [mode][0 = no tier, i + 1 = thresholds[i]] */
    private final ResolvedRates[][] rates;
    private final BigDecimal webSearchFee;

    RateCard(PriceEntry entry) {
        this.entry = entry;
        this.key = PriceBook.keyOf(entry);
        this.effectiveFromMillis = entry.getEffectiveFrom().toEpochMilli();
        List<LongContextTier> tiers = new ArrayList<>(entry.getLongContextTiers());
        tiers.sort(Comparator.comparingLong(LongContextTier::getAboveInputTokens));
        this.thresholds = tiers.stream().mapToLong(LongContextTier::getAboveInputTokens).toArray();
        PricingMode[] modes = PricingMode.values();
        this.rates = new ResolvedRates[modes.length][tiers.size() + 1];
        for (PricingMode mode : modes) {
            rates[mode.ordinal()][0] = new ResolvedRates(entry, mode, null);
            for (int t = 0; t < tiers.size(); t++) {
                rates[mode.ordinal()][t + 1] = new ResolvedRates(entry, mode, tiers.get(t));
            }
        }
        this.webSearchFee = entry.getPerCallFees().get(WEB_SEARCH_FEE);
    }

    /** Rates for a request: the highest long-context threshold strictly below its input_tokens, if any. */
    ResolvedRates select(PricingMode mode, long inputTokens) {
        int tier = 0;
        for (int i = thresholds.length - 1; i >= 0; i--) {
            if (inputTokens > thresholds[i]) {
                tier = i + 1;
                break;
            }
        }
        return rates[mode.ordinal()][tier];
    }

    PriceEntry entry() {
        return entry;
    }

    String key() {
        return key;
    }

    long effectiveFromMillis() {
        return effectiveFromMillis;
    }

    /** USD per web-search call, or null when the book has no such fee. */
    BigDecimal webSearchFee() {
        return webSearchFee;
    }
}
