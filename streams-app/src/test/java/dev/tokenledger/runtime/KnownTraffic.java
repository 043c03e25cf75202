package dev.tokenledger.runtime;

import static dev.tokenledger.testing.TestEvents.event;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A known input for an exactly-once check: {@code unique} events with distinct request ids, the
 * order they are sent in (with at-least-once duplicates of earlier events mixed in, some over the
 * JSON input), and the cost each one must get, computed here from the price entries' rates and
 * the token counts with plain {@link BigDecimal} arithmetic, independently of the cost engine.
 */
final class KnownTraffic {

    /** One record to send: an event, as Avro keyed by request_id or as JSON without a key; or a bad raw JSON line. */
    record Send(UsageEvent event, boolean asJson, byte[] rawJson) {
        Send(UsageEvent event, boolean asJson) {
            this(event, asJson, null);
        }
    }

    private static final int MONEY_SCALE = 12;
    private static final String[] FEATURES = {"semantic-search", "chat", "summarize"};

    private final Map<String, BigDecimal> expectedCost;
    private final List<Send> sends;
    private final Map<String, Long> expectedDeadLetters;

    private KnownTraffic(Map<String, BigDecimal> expectedCost, List<Send> sends, Map<String, Long> expectedDeadLetters) {
        this.expectedCost = Collections.unmodifiableMap(expectedCost);
        this.sends = Collections.unmodifiableList(sends);
        this.expectedDeadLetters = Map.copyOf(expectedDeadLetters);
    }

    /**
     * A backfill as it really arrives: {@code unique} events spread over {@code span} before
     * {@code end}, {@code duplicates} re-publications of random events (either input), {@code bad}
     * lines that must be dead-lettered (undecodable, negative, missing id, inconsistent) and
     * {@code tooOld} events beyond the acceptance horizon, all in one random order.
     */
    static KnownTraffic backfill(long seed, int unique, List<PriceEntry> prices, Instant end, Duration span,
                                 int duplicates, int bad, int tooOld) {
        KnownTraffic base = generate(seed, unique, prices, end, span, Integer.MAX_VALUE, Integer.MAX_VALUE);
        Random random = new Random(seed + 1);
        List<Send> sends = new ArrayList<>(base.sends);
        List<Send> originals = base.sends;
        for (int i = 0; i < duplicates; i++) {
            sends.add(new Send(originals.get(random.nextInt(originals.size())).event(), random.nextBoolean()));
        }
        String[] badLines = {
                "{\"request_id\":\"bad-%d\",\"timestamp\":\"%s\"",
                "{\"request_id\":\"bad-%d\",\"timestamp\":\"%s\",\"provider\":\"openai\",\"request_model\":\"gpt-4o\",\"input_tokens\":-5,\"output_tokens\":1}",
                "{\"bad\":%d,\"timestamp\":\"%s\",\"provider\":\"openai\",\"request_model\":\"gpt-4o\",\"input_tokens\":5,\"output_tokens\":1}",
                "{\"request_id\":\"bad-%d\",\"timestamp\":\"%s\",\"provider\":\"openai\",\"request_model\":\"gpt-4o\",\"input_tokens\":5,\"cache_read_input_tokens\":9,\"output_tokens\":1}"};
        // The DLQ reason each bad line must get, in the order of badLines.
        String[] reasons = {"undecodable", "negative_count", "missing_field", "subset_exceeds_total"};
        Map<String, Long> deadLetters = new java.util.TreeMap<>();
        for (int i = 0; i < bad; i++) {
            deadLetters.merge(reasons[i % reasons.length], 1L, Long::sum);
            String line = String.format(badLines[i % badLines.length], i, end.minusSeconds(random.nextInt(86_400)));
            sends.add(new Send(null, true, line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < tooOld; i++) {
            UsageEvent old = event("too-old-" + i, end.minus(Duration.ofDays(70 + random.nextInt(200)))).build();
            sends.add(new Send(old, random.nextBoolean()));
        }
        if (tooOld > 0) {
            deadLetters.put("too_old", (long) tooOld);
        }
        Collections.shuffle(sends, random);
        return new KnownTraffic(base.expectedCost, sends, deadLetters);
    }

    /**
     * @param prices   the price entries in force (one per model, openai, no region), to draw models from
     * @param end      the latest event time; events fall in {@code [end - span, end]}, out of order
     * @param dupEvery every this many events, also resend an event sent {@code dupLag} sends earlier
     */
    static KnownTraffic generate(long seed, int unique, List<PriceEntry> prices, Instant end, Duration span,
                                 int dupEvery, int dupLag) {
        Random random = new Random(seed);
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        List<UsageEvent> events = new ArrayList<>(unique);
        List<Send> sends = new ArrayList<>(unique + unique / dupEvery);
        for (int i = 0; i < unique; i++) {
            PriceEntry price = prices.get(random.nextInt(prices.size()));
            long input = 200 + random.nextInt(40_000);
            long cacheRead = random.nextBoolean() ? random.nextLong(input / 2 + 1) : 0;
            long output = random.nextInt(4_000);
            UsageEvent e = event("crash-" + i, end.minusMillis(random.nextLong(span.toMillis())))
                    .setRequestModel(price.getModel())
                    .setInputTokens(input)
                    .setCacheReadInputTokens(cacheRead)
                    .setOutputTokens(output)
                    .setFeature(FEATURES[random.nextInt(FEATURES.length)])
                    .setCustomerId("c" + random.nextInt(5))
                    .build();
            events.add(e);
            expected.put(e.getRequestId(), cost(price.getStandard(), input, cacheRead, output));
            sends.add(new Send(e, i % 10 == 3));
            if (i >= dupLag && i % dupEvery == 0) {
                sends.add(new Send(events.get(i - dupLag), i % (dupEvery * 4) == 0));
            }
        }
        return new KnownTraffic(expected, sends, Map.of());
    }

    /**
     * Inclusive convention: cache reads are part of input_tokens and cost the cache-read rate (the
     * input rate when the book has none); each class is rounded once to the money scale.
     */
    private static BigDecimal cost(PriceRates rates, long input, long cacheRead, long output) {
        BigDecimal cacheReadRate = rates.getCacheRead() == null ? rates.getInput() : rates.getCacheRead();
        return times(input - cacheRead, rates.getInput())
                .add(times(cacheRead, cacheReadRate))
                .add(times(output, rates.getOutput()));
    }

    private static BigDecimal times(long tokens, BigDecimal perToken) {
        return perToken.multiply(BigDecimal.valueOf(tokens)).setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    Map<String, BigDecimal> expectedCost() {
        return expectedCost;
    }

    BigDecimal expectedTotal() {
        return expectedCost.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    int unique() {
        return expectedCost.size();
    }

    /** Records that must end on the DLQ, each exactly once, by reason. */
    Map<String, Long> expectedDeadLettersByReason() {
        return expectedDeadLetters;
    }

    long expectedDeadLetters() {
        return expectedDeadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    List<Send> sends() {
        return sends;
    }
}
