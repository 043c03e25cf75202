package dev.tokenledger.price;

import dev.tokenledger.avro.PriceRates;
import java.math.BigDecimal;

/** The per-token price classes of a {@link PriceRates}. */
enum RateClass {
    INPUT, OUTPUT, CACHE_READ, CACHE_WRITE_5M, CACHE_WRITE_1H, REASONING;

    static final RateClass[] ALL = values();

    BigDecimal of(PriceRates r) {
        if (r == null) {
            return null;
        }
        switch (this) {
            case INPUT:
                return r.getInput();
            case CACHE_READ:
                return r.getCacheRead();
            case CACHE_WRITE_5M:
                return r.getCacheWrite5m();
            case CACHE_WRITE_1H:
                return r.getCacheWrite1h();
            case OUTPUT:
                return r.getOutput();
            default:
                return r.getReasoning();
        }
    }
}
