package dev.tokenledger.whatif;

import java.util.Locale;

/**
 * The token classes a scenario can reshape, exclusive of each other (docs/pricing.md §2): uncached input, cache
 * reads, cache writes (5-minute and 1-hour alike), output other than reasoning, reasoning.
 */
enum TokenClass {
    INPUT("input"), CACHE_READ("cache_read"), CACHE_WRITE("cache_write"), OUTPUT("output"), REASONING("reasoning");

    /** The scenario file's key for every class at once. */
    static final String ALL = "all";

    final String key;

    TokenClass(String key) {
        this.key = key;
    }

    static TokenClass ofKey(String key) {
        for (TokenClass c : values()) {
            if (c.key.equals(key.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
