package dev.tokenledger.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PriceBookTest {

    private static final Instant NOV_1 = Instant.parse("2025-11-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2025-12-01T00:00:00Z");

    private static PriceEntry gpt(String inputPerMtok, Instant from) {
        return Entries.entry("openai", "gpt-x", inputPerMtok, "10.00").setEffectiveFrom(from).build();
    }

    @Test
    void shouldKeyVersionsByProviderModelRegionAndEffectiveFrom() {
        PriceEntry global = gpt("2.00", NOV_1);
        PriceEntry regional = Entries.entry("aws.bedrock", "anthropic.claude-x-v1:0", "3.30", "16.50")
                .setRegion("us").build();

        assertThat(PriceBook.keyOf(global)).isEqualTo("openai/gpt-x/*/1761955200000");
        assertThat(PriceBook.keyOf(regional)).isEqualTo("aws.bedrock/anthropic.claude-x-v1:0/us/0");
    }

    @Test
    void shouldFindTheLatestVersionAtOrBeforeTheInstant() {
        PriceBook book = PriceBook.of(List.of(gpt("3.00", Instant.EPOCH), gpt("2.00", NOV_1)));

        assertThat(book.lookup("openai", "gpt-x", null, NOV_1.minusMillis(1)).orElseThrow().entry()
                .getEffectiveFrom()).isEqualTo(Instant.EPOCH);
        assertThat(book.lookup("openai", "gpt-x", null, NOV_1).orElseThrow().entry().getEffectiveFrom())
                .isEqualTo(NOV_1);
        assertThat(book.lookup("openai", "gpt-x", null, LATER).orElseThrow().kind()).isEqualTo(MatchKind.EXACT);
    }

    @Test
    void shouldFindNothingBeforeTheFirstVersion() {
        PriceBook book = PriceBook.of(List.of(gpt("2.00", NOV_1)));

        assertThat(book.lookup("openai", "gpt-x", null, NOV_1.minusSeconds(1))).isEmpty();
    }

    @Test
    void shouldReplaceVersionWithSameKeyOnUpsert() {
        PriceBook book = PriceBook.of(List.of(gpt("2.00", NOV_1)));

        book.upsert(gpt("1.00", NOV_1));

        assertThat(book.size()).isEqualTo(1);
        assertThat(book.lookup("openai", "gpt-x", null, LATER).orElseThrow().entry().getStandard().getInput())
                .isEqualByComparingTo("0.000001");
    }

    @Test
    void shouldRemoveVersionOnTombstoneAndFallBackToEarlierVersion() {
        PriceBook book = PriceBook.of(List.of(gpt("3.00", Instant.EPOCH), gpt("2.00", NOV_1)));

        book.remove(PriceBook.keyOf(gpt("2.00", NOV_1)));

        assertThat(book.size()).isEqualTo(1);
        assertThat(book.lookup("openai", "gpt-x", null, LATER).orElseThrow().entry().getEffectiveFrom())
                .isEqualTo(Instant.EPOCH);
        book.remove(PriceBook.keyOf(gpt("3.00", Instant.EPOCH)));
        assertThat(book.lookup("openai", "gpt-x", null, LATER)).isEmpty();
    }

    @Test
    void shouldIgnoreRemovalOfUnknownKey() {
        PriceBook book = PriceBook.of(List.of(gpt("2.00", NOV_1)));

        book.remove("openai/nothing/*/0");

        assertThat(book.size()).isEqualTo(1);
    }

    @Test
    void shouldPreferRegionalEntryForTheEventRegion() {
        PriceBook book = PriceBook.of(List.of(
                Entries.entry("aws.bedrock", "meta.llama3-8b-instruct-v1:0", "0.30", "0.60").build(),
                Entries.entry("aws.bedrock", "meta.llama3-8b-instruct-v1:0", "0.36", "0.72").setRegion("eu-west-2")
                        .build()));

        PriceMatch regional = book.lookup("aws.bedrock", "meta.llama3-8b-instruct-v1:0", "eu-west-2", LATER)
                .orElseThrow();
        PriceMatch global = book.lookup("aws.bedrock", "meta.llama3-8b-instruct-v1:0", "us-east-1", LATER)
                .orElseThrow();

        assertThat(regional.kind()).isEqualTo(MatchKind.REGIONAL);
        assertThat(regional.entry().getRegion()).isEqualTo("eu-west-2");
        assertThat(global.kind()).isEqualTo(MatchKind.EXACT);
        assertThat(global.entry().getRegion()).isNull();
    }

    @Test
    void shouldResolveBedrockCrossRegionIdToRegionalEntryAndElseToGlobal() {
        PriceBook book = PriceBook.of(List.of(
                Entries.entry("aws.bedrock", "anthropic.claude-x-v1:0", "3.00", "15.00").build(),
                Entries.entry("aws.bedrock", "anthropic.claude-x-v1:0", "3.30", "16.50").setRegion("us").build()));

        PriceMatch us = book.lookup("aws.bedrock", "us.anthropic.claude-x-v1:0", null, LATER).orElseThrow();
        PriceMatch eu = book.lookup("aws.bedrock", "eu.anthropic.claude-x-v1:0", null, LATER).orElseThrow();

        assertThat(us.kind()).isEqualTo(MatchKind.REGIONAL);
        assertThat(us.entry().getRegion()).isEqualTo("us");
        assertThat(eu.kind()).isEqualTo(MatchKind.NORMALISED);
        assertThat(eu.regionFallback()).isTrue();
        assertThat(eu.entry().getRegion()).isNull();
    }

    @Test
    void shouldMatchCaseInsensitivelyAliasesAndProviderSpellings() {
        PriceBook book = PriceBook.of(List.of(Entries.entry("aws.bedrock", "amazon.nova-pro-v1:0", "0.80", "3.20")
                .setAliases(List.of("nova-pro")).build()));

        assertThat(book.lookup("aws.bedrock", "Amazon.Nova-Pro-v1:0", null, LATER).orElseThrow().kind())
                .isEqualTo(MatchKind.EXACT);
        assertThat(book.lookup("aws.bedrock", "nova-pro", null, LATER).orElseThrow().kind())
                .isEqualTo(MatchKind.ALIAS);
        assertThat(book.lookup("bedrock", "amazon.nova-pro-v1:0", null, LATER).orElseThrow().kind())
                .isEqualTo(MatchKind.NORMALISED);
        assertThat(book.lookup("aws.bedrock", "bedrock/converse/amazon.nova-pro-v1:0", null, LATER).orElseThrow()
                .kind()).isEqualTo(MatchKind.NORMALISED);
    }

    @Test
    void shouldPreferAModelsOwnNameOverAnotherModelsAlias() {
        PriceBook book = PriceBook.of(List.of(
                Entries.entry("openai", "gpt-a", "1.00", "1.00").setAliases(List.of("gpt-b")).build(),
                Entries.entry("openai", "gpt-b", "2.00", "2.00").build()));

        assertThat(book.lookup("openai", "gpt-b", null, LATER).orElseThrow().entry().getModel()).isEqualTo("gpt-b");
    }

    @Test
    void shouldNotGuessUnknownModelsProvidersOrDateSuffixes() {
        PriceBook book = PriceBook.of(List.of(gpt("2.00", Instant.EPOCH)));

        assertThat(book.lookup("openai", "gpt-x-2025-01-01", null, LATER)).isEmpty();
        assertThat(book.lookup("openai", "gpt", null, LATER)).isEmpty();
        assertThat(book.lookup("anthropic", "gpt-x", null, LATER)).isEmpty();
        assertThat(book.lookup("openai", "gpt-x", null, null)).isEmpty();
    }

    @Test
    void shouldRejectInvalidEntryWithMachineReadableReason() {
        PriceEntry negative = Entries.entry("openai", "gpt-x", "-1.00", "1.00").build();
        PriceEntry noPrices = Entries.entry("openai", "gpt-x", null, null).build();

        assertThat(PriceBook.problemWith(negative)).contains("negative_rate:standard.input");
        assertThat(PriceBook.problemWith(noPrices)).contains("no_input_or_output_price");
        assertThatThrownBy(() -> PriceBook.empty().upsert(negative))
                .isInstanceOfSatisfying(InvalidPriceEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo("negative_rate:standard.input"));
    }

    @Test
    void shouldKeepItsOwnCopyOfUpsertedEntries() {
        PriceEntry entry = gpt("2.00", Instant.EPOCH);
        PriceBook book = PriceBook.of(List.of(entry));

        entry.getStandard().setInput(Entries.perMtok("99.00"));
        book.entries().iterator().next().getStandard().setInput(Entries.perMtok("98.00"));

        assertThat(book.lookup("openai", "gpt-x", null, LATER).orElseThrow().entry().getStandard().getInput())
                .isEqualByComparingTo("0.000002");
    }

    @Test
    void shouldAnswerLookupsWhileBeingUpdated() throws Exception {
        PriceBook book = PriceBook.of(List.of(gpt("2.00", Instant.EPOCH)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int found = 0;
                for (int i = 0; i < 20_000; i++) {
                    found += book.lookup("openai", "gpt-x", null, LATER).isPresent() ? 1 : 0;
                }
                return found;
            });
            List<Future<?>> writers = new ArrayList<>();
            writers.add(pool.submit(() -> {
                for (int i = 1; i <= 500; i++) {
                    book.upsert(gpt("2.00", Instant.ofEpochSecond(i)));
                    book.remove(PriceBook.keyOf(gpt("2.00", Instant.ofEpochSecond(i))));
                }
            }));
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            // The version from the beginning of time is never removed: every lookup must find a price.
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(20_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
