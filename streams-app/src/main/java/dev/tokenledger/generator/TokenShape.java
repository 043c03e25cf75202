package dev.tokenledger.generator;

/**
 * The token profile of a feature's calls. Sizes are drawn log-uniformly between min and max, which
 * gives the long right tail real prompt and completion sizes have.
 *
 * @param growthMin/growthMax context added per step of a conversation or agent run (0 for one-shot calls)
 * @param cacheHitProb        chance a call reads from the prompt cache
 * @param cacheReadMin/Max    share of the input read from cache on a hit
 * @param cacheWriteProb      chance an explicit-cache call writes the rest of its prefix to the cache
 * @param cacheWriteMin/Max   share of the uncached input written
 * @param oneHourShare        chance a cache write uses the 1-hour TTL instead of 5 minutes
 * @param longContextProb     chance a call carries a long document (more than 200k input tokens)
 * @param reasoningMin/Max    reasoning tokens as a multiple of the visible output, on reasoning models
 */
record TokenShape(
        long inputMin, long inputMax,
        long growthMin, long growthMax,
        double cacheHitProb, double cacheReadMin, double cacheReadMax,
        double cacheWriteProb, double cacheWriteMin, double cacheWriteMax,
        double oneHourShare,
        long outputMin, long outputMax,
        double longContextProb,
        double reasoningMin, double reasoningMax) {

    static Builder input(long min, long max) {
        return new Builder(min, max);
    }

    static final class Builder {
        private final long inputMin;
        private final long inputMax;
        private long growthMin;
        private long growthMax;
        private double cacheHitProb;
        private double cacheReadMin;
        private double cacheReadMax;
        private double cacheWriteProb;
        private double cacheWriteMin;
        private double cacheWriteMax;
        private double oneHourShare;
        private long outputMin = 50;
        private long outputMax = 500;
        private double longContextProb;
        private double reasoningMin = 0.5;
        private double reasoningMax = 3.0;

        private Builder(long inputMin, long inputMax) {
            this.inputMin = inputMin;
            this.inputMax = inputMax;
        }

        Builder growth(long min, long max) {
            growthMin = min;
            growthMax = max;
            return this;
        }

        Builder cacheReads(double probability, double minShare, double maxShare) {
            cacheHitProb = probability;
            cacheReadMin = minShare;
            cacheReadMax = maxShare;
            return this;
        }

        Builder cacheWrites(double probability, double minShare, double maxShare, double oneHour) {
            cacheWriteProb = probability;
            cacheWriteMin = minShare;
            cacheWriteMax = maxShare;
            oneHourShare = oneHour;
            return this;
        }

        Builder output(long min, long max) {
            outputMin = min;
            outputMax = max;
            return this;
        }

        Builder longContext(double probability) {
            longContextProb = probability;
            return this;
        }

        Builder reasoning(double minMultiple, double maxMultiple) {
            reasoningMin = minMultiple;
            reasoningMax = maxMultiple;
            return this;
        }

        TokenShape build() {
            return new TokenShape(inputMin, inputMax, growthMin, growthMax, cacheHitProb, cacheReadMin, cacheReadMax,
                    cacheWriteProb, cacheWriteMin, cacheWriteMax, oneHourShare, outputMin, outputMax, longContextProb,
                    reasoningMin, reasoningMax);
        }
    }
}
