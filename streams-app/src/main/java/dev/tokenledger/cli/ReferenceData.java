package dev.tokenledger.cli;

import dev.tokenledger.attribute.OwnershipCsv;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.csv.CsvParseResult;
import dev.tokenledger.govern.BudgetCsv;
import dev.tokenledger.price.LiteLlmPriceMap;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import dev.tokenledger.runtime.ReferenceDataPublisher;
import dev.tokenledger.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KeyValue;

/** Reads and validates reference data files (or the shipped demo defaults) and publishes them. */
final class ReferenceData {

    static final String DEMO_OWNERSHIP = "/demo/ownership.csv";
    static final String DEMO_BUDGETS = "/demo/budgets.csv";

    private ReferenceData() {
    }

    /** A reference-data file with errors; the message lists every one with its line and field. */
    static final class InvalidReferenceData extends Exception {
        InvalidReferenceData(String message) {
            super(message);
        }
    }

    /** Validated records ready to publish; an empty list publishes nothing. */
    record Loaded(List<KeyValue<String, PriceEntry>> prices,
                  List<KeyValue<String, Ownership>> owners,
                  List<KeyValue<String, Budget>> budgets) {

        void publish(String bootstrapServers, Topics topics, Consumer<String> progress) {
            Properties client = new Properties();
            client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            publish(client, topics, progress);
        }

        /** Publishes through a producer configured with {@code client} (bootstrap servers and security settings). */
        void publish(Properties client, Topics topics, Consumer<String> progress) {
            if (!prices.isEmpty()) {
                ReferenceDataPublisher.publish(client, topics.pricebook, prices);
                progress.accept("published " + prices.size() + " price-book entries to " + topics.pricebook.name());
            }
            if (!owners.isEmpty()) {
                ReferenceDataPublisher.publish(client, topics.ownership, owners);
                progress.accept("published " + owners.size() + " ownership rows to " + topics.ownership.name());
            }
            if (!budgets.isEmpty()) {
                ReferenceDataPublisher.publish(client, topics.budgets, budgets);
                progress.accept("published " + budgets.size() + " budgets to " + topics.budgets.name());
            }
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (!prices.isEmpty()) parts.add(prices.size() + " price-book entries");
            if (!owners.isEmpty()) parts.add(owners.size() + " ownership rows");
            if (!budgets.isEmpty()) parts.add(budgets.size() + " budgets");
            return String.join(", ", parts);
        }
    }

    /** Everything the demo needs; a null path means the shipped default. */
    static Loaded load(Path pricebook, Path ownership, Path budgets) throws InvalidReferenceData {
        return new Loaded(prices(pricebook, null), owners(ownership), budgetRows(budgets));
    }

    static Loaded pricebookOnly(Path file, Instant effectiveFrom) throws InvalidReferenceData {
        return new Loaded(prices(file, effectiveFrom), List.of(), List.of());
    }

    static Loaded ownershipOnly(Path file) throws InvalidReferenceData {
        return new Loaded(List.of(), owners(file), List.of());
    }

    static Loaded budgetsOnly(Path file) throws InvalidReferenceData {
        return new Loaded(List.of(), List.of(), budgetRows(file));
    }

    private static List<KeyValue<String, PriceEntry>> prices(Path file, Instant effectiveFrom) throws InvalidReferenceData {
        List<PriceEntry> entries;
        try {
            if (file == null) {
                entries = PriceBooks.readDefault();
            } else if (effectiveFrom != null && PriceBooks.detect(file) == PriceBooks.Format.LITELLM_JSON) {
                try (InputStream in = Files.newInputStream(file)) {
                    entries = LiteLlmPriceMap.read(in, effectiveFrom).entries();
                }
            } else {
                entries = PriceBooks.read(file);
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidReferenceData("price book " + (file == null ? "(default)" : file) + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (PriceEntry e : entries) {
            PriceBook.problemWith(e).ifPresent(problem -> problems.add(PriceBook.keyOf(e) + ": " + problem));
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(describeErrors(file, "(default price book)", problems));
        }
        return entries.stream().map(e -> KeyValue.pair(PriceBook.keyOf(e), e)).toList();
    }

    private static List<KeyValue<String, Ownership>> owners(Path file) throws InvalidReferenceData {
        CsvParseResult<Ownership> result = OwnershipCsv.parse(read(file, DEMO_OWNERSHIP));
        if (!result.errors().isEmpty()) {
            throw new InvalidReferenceData(describeErrors(file, DEMO_OWNERSHIP, result.errors()));
        }
        return result.rows().stream().map(o -> KeyValue.pair(OwnershipCsv.recordKey(o), o)).toList();
    }

    private static List<KeyValue<String, Budget>> budgetRows(Path file) throws InvalidReferenceData {
        CsvParseResult<Budget> result = BudgetCsv.parse(read(file, DEMO_BUDGETS), Instant.now());
        if (!result.errors().isEmpty()) {
            throw new InvalidReferenceData(describeErrors(file, DEMO_BUDGETS, result.errors()));
        }
        return result.rows().stream().map(b -> KeyValue.pair(BudgetCsv.recordKey(b), b)).toList();
    }

    private static String describeErrors(Path file, String resource, List<?> errors) {
        StringBuilder sb = new StringBuilder(file == null ? resource : file.toString()).append(" has ")
                .append(errors.size()).append(errors.size() == 1 ? " error:" : " errors:");
        errors.forEach(e -> sb.append(System.lineSeparator()).append("  ").append(e));
        return sb.toString();
    }

    private static String read(Path file, String resource) throws InvalidReferenceData {
        try {
            if (file != null) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = ReferenceData.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new InvalidReferenceData("missing built-in resource " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InvalidReferenceData("cannot read " + (file == null ? resource : file) + ": " + e.getMessage());
        }
    }

    /** A demo run starts from clean Kafka and Streams state; the warehouse is kept for reports. */
    static void cleanKafkaState(Path dataDir) {
        deleteRecursively(dataDir.resolve("kafka"));
        deleteRecursively(dataDir.resolve("streams"));
        deleteRecursively(dataDir.resolve("connect"));
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
