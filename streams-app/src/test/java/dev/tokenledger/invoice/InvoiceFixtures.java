package dev.tokenledger.invoice;

import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceBooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The golden invoice files under src/test/resources/invoices and the small price book they map onto. */
final class InvoiceFixtures {

    static final PriceBook BOOK = PriceBooks.load(path("pricebook.yaml"));

    private InvoiceFixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(InvoiceFixtures.class.getResource("/invoices/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InvoiceReader reader() {
        return new InvoiceReader(new ModelMapper(BOOK, ModelOverrides.NONE));
    }

    static InvoiceReader reader(ModelOverrides overrides) {
        return new InvoiceReader(new ModelMapper(BOOK, overrides));
    }
}
