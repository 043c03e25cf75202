package dev.tokenledger.cli;

import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.invoice.InvalidInvoiceException;
import dev.tokenledger.invoice.InvoiceFile;
import dev.tokenledger.invoice.InvoiceFormat;
import dev.tokenledger.invoice.InvoiceReader;
import dev.tokenledger.invoice.ModelMapper;
import dev.tokenledger.invoice.ModelOverrides;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;

/**
 * {@code load invoice}: reads every file before anything is published, so one invalid file publishes nothing.
 * Billed models map onto the price book given (else the shipped default), the book the pipeline prices with.
 */
final class InvoiceLoad {

    private InvoiceLoad() {
    }

    /** Every file read, in the order given. */
    record Loaded(List<InvoiceFile> files) {

        /** Records for llm.invoices.v1, keyed by line identity. */
        List<KeyValue<String, InvoiceLine>> records() {
            List<KeyValue<String, InvoiceLine>> records = new ArrayList<>();
            files.forEach(f -> f.lines().forEach(line -> records.add(KeyValue.pair(line.getLineId(), line))));
            return records;
        }

        int lineCount() {
            return files.stream().mapToInt(f -> f.lines().size()).sum();
        }

        /** One line per file: format, lines, exact total, how many mapped, what was left out. */
        List<String> describe() {
            List<String> out = new ArrayList<>();
            for (InvoiceFile f : files) {
                long unmapped = f.lines().stream().filter(l -> l.getModel() == null).count();
                String skipped = f.skippedServices().isEmpty() ? "" : "; rows of other services left out: "
                        + f.skippedServices().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", "));
                out.add(f.fileName() + ": " + f.format().cliName() + ", " + f.lines().size() + " lines, "
                        + f.totalUsd().toPlainString() + " USD, " + unmapped + " unmapped" + skipped);
            }
            return out;
        }
    }

    static Loaded read(List<Path> files, InvoiceFormat forced, Path overridesFile, Path pricebook)
            throws ReferenceData.InvalidReferenceData {
        ModelOverrides overrides = overrides(overridesFile);
        PriceBook book;
        try {
            book = pricebook == null ? PriceBooks.loadDefault() : PriceBooks.load(pricebook);
        } catch (RuntimeException e) {
            throw new ReferenceData.InvalidReferenceData("price book " + pricebook + ": " + e.getMessage());
        }
        InvoiceReader reader = new InvoiceReader(new ModelMapper(book, overrides));
        List<InvoiceFile> read = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                read.add(reader.read(file, forced));
            } catch (InvalidInvoiceException e) {
                e.errors().forEach(error -> errors.add(error.toString()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ReferenceData.InvalidReferenceData(errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + " (nothing published):" + System.lineSeparator() + "  "
                    + String.join(System.lineSeparator() + "  ", errors));
        }
        return new Loaded(read);
    }

    private static ModelOverrides overrides(Path file) throws ReferenceData.InvalidReferenceData {
        if (file == null) {
            return ModelOverrides.NONE;
        }
        try {
            return ModelOverrides.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReferenceData.InvalidReferenceData("cannot read " + file + ": " + e.getMessage());
        } catch (InvalidInvoiceException e) {
            throw new ReferenceData.InvalidReferenceData("model overrides " + e.getMessage());
        }
    }
}
