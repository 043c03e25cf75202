package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;

/**
 * Token counts in our convention (inclusive: {@code input} includes cache reads and writes, of which
 * {@code cacheCreation1h}; {@code output} includes reasoning), built from a source's own convention.
 */
record TokenCounts(long input, long cacheRead, long cacheCreation, long cacheCreation1h, long output, long reasoning,
                   int webSearchCalls) {

    /** A source whose input count excludes the cache (Anthropic, Bedrock, Helicone): the cache classes are added in. */
    static long inclusiveInput(long uncachedInput, long cacheRead, long cacheCreation, String path) {
        try {
            return Math.addExact(Math.addExact(uncachedInput, cacheRead), cacheCreation);
        } catch (ArithmeticException e) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, path, path + " plus the cache tokens does not fit a 64-bit integer");
        }
    }

    static int calls(long count, String path) {
        if (count > Integer.MAX_VALUE || count < Integer.MIN_VALUE) {
            throw new RecordRejected(RejectReason.INVALID_VALUE, path, path + " " + count + " does not fit a 32-bit integer");
        }
        return (int) count;
    }

    void applyTo(UsageEvent.Builder b) {
        b.setInputTokens(input)
                .setCacheReadInputTokens(cacheRead)
                .setCacheCreationInputTokens(cacheCreation)
                .setCacheCreation1hInputTokens(cacheCreation1h)
                .setOutputTokens(output)
                .setReasoningOutputTokens(reasoning)
                .setWebSearchCalls(webSearchCalls);
    }
}
