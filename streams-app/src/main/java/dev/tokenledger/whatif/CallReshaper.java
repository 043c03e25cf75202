package dev.tokenledger.whatif;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.price.CostEngine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumSet;
import java.util.Set;

/**
 * Applies a scenario's levers to one call, in a fixed order (docs/whatif.md): the model substitution (with its token
 * shape), the token shapes, the cache-read share, batch. Tokens are handled as the exclusive classes of
 * docs/pricing.md §2 and written back inclusive, so every reshaped event is consistent for the cost engine.
 */
final class CallReshaper {

    /** Which lever changed a call. */
    enum Lever { SUBSTITUTION, TOKEN_SHAPE, CACHE_READS, BATCH }

    /** The call as the scenario makes it, and the levers that changed it (empty: the call is as it was). */
    record Reshaped(UsageEvent event, Set<Lever> levers, Scenario.Substitution substitution) {
    }

    private final Scenario scenario;

    CallReshaper(Scenario scenario) {
        this.scenario = scenario;
    }

    Reshaped apply(UsageEvent e, String feature) {
        Set<Lever> levers = EnumSet.noneOf(Lever.class);
        Tokens t = Tokens.of(e);
        UsageEvent.Builder b = null;

        Scenario.Substitution sub = substitutionFor(e, feature);
        if (sub != null) {
            b = UsageEvent.newBuilder(e).setProvider(sub.toProvider()).setRequestModel(sub.toModel())
                    .setResponseModel(sub.toModel()).setRegion(null);
            t = t.scaled(sub.tokens());
            levers.add(Lever.SUBSTITUTION);
        }
        for (Scenario.TokenShape shape : scenario.tokenShapes()) {
            if (shape.covers(feature)) {
                Tokens scaled = t.scaled(shape.factors());
                if (!scaled.equals(t)) {
                    levers.add(Lever.TOKEN_SHAPE);
                }
                t = scaled;
            }
        }
        for (Scenario.CacheShare cache : scenario.cacheReads()) {
            if (cache.feature().equals(feature)) {
                Tokens raised = t.cacheShareRaised(cache.share(), cache.writeShare());
                if (!raised.equals(t)) {
                    levers.add(Lever.CACHE_READS);
                }
                t = raised;
                break;
            }
        }
        boolean toBatch = !e.getBatch() && scenario.batch().map(l -> l.covers(e.getWorkload(), feature)).orElse(false);
        if (toBatch) {
            b = b == null ? UsageEvent.newBuilder(e) : b;
            b.setBatch(true).setServiceTier("standard");
            levers.add(Lever.BATCH);
        }
        if (levers.isEmpty()) {
            return new Reshaped(e, levers, null);
        }
        b = b == null ? UsageEvent.newBuilder(e) : b;
        t.writeTo(b);
        return new Reshaped(b.build(), levers, sub);
    }

    private Scenario.Substitution substitutionFor(UsageEvent e, String feature) {
        String billed = CostEngine.billedModel(e);
        for (Scenario.Substitution s : scenario.substitutions()) {
            if (s.feature().equals(feature) && s.fromModel().equalsIgnoreCase(billed)) {
                return s;
            }
        }
        return null;
    }

    /** A call's tokens per exclusive class. */
    record Tokens(long uncached, long cacheRead, long cacheWrite5m, long cacheWrite1h, long output, long reasoning) {

        static Tokens of(UsageEvent e) {
            long cacheRead = Math.max(0, e.getCacheReadInputTokens());
            long writes = Math.max(0, e.getCacheCreationInputTokens());
            long writes1h = Math.min(Math.max(0, e.getCacheCreation1hInputTokens()), writes);
            long reasoning = Math.max(0, e.getReasoningOutputTokens());
            return new Tokens(Math.max(0, e.getInputTokens() - cacheRead - writes), cacheRead, writes - writes1h,
                    writes1h, Math.max(0, e.getOutputTokens() - reasoning), reasoning);
        }

        Tokens scaled(TokenFactors f) {
            if (f.isNone()) {
                return this;
            }
            return new Tokens(f.scale(TokenClass.INPUT, uncached), f.scale(TokenClass.CACHE_READ, cacheRead),
                    f.scale(TokenClass.CACHE_WRITE, cacheWrite5m), f.scale(TokenClass.CACHE_WRITE, cacheWrite1h),
                    f.scale(TokenClass.OUTPUT, output), f.scale(TokenClass.REASONING, reasoning));
        }

        long input() {
            return uncached + cacheRead + cacheWrite5m + cacheWrite1h;
        }

        /**
         * Uncached input moved into cache reads until reads are {@code share} of all input (half-up to a token, never
         * more than the uncached input there is); {@code writeShare} of the moved tokens become 5-minute cache writes
         * instead (half-up), the price of putting them in the cache. A call already at or above the share is unchanged.
         */
        Tokens cacheShareRaised(BigDecimal share, BigDecimal writeShare) {
            long target = BigDecimal.valueOf(input()).multiply(share).setScale(0, RoundingMode.HALF_UP).longValueExact();
            long moved = Math.min(uncached, target - cacheRead);
            if (moved <= 0) {
                return this;
            }
            long writes = BigDecimal.valueOf(moved).multiply(writeShare).setScale(0, RoundingMode.HALF_UP).longValueExact();
            return new Tokens(uncached - moved, cacheRead + moved - writes, cacheWrite5m + writes, cacheWrite1h, output,
                    reasoning);
        }

        void writeTo(UsageEvent.Builder b) {
            b.setInputTokens(input()).setCacheReadInputTokens(cacheRead)
                    .setCacheCreationInputTokens(cacheWrite5m + cacheWrite1h).setCacheCreation1hInputTokens(cacheWrite1h)
                    .setOutputTokens(output + reasoning).setReasoningOutputTokens(reasoning);
        }
    }
}
