package dev.tokenledger.price;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.PriceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Loading price books from files: the LiteLLM price map (JSON) or tokenledger's native format
 * (YAML, or the same structure in JSON), told apart by content.
 */
public final class PriceBooks {

    /** Classpath location of the shipped LiteLLM price map (MIT; LICENSE and SOURCE.md beside it). */
    public static final String DEFAULT_RESOURCE = "/pricebook/model_prices_and_context_window.json";

    /** The formats {@link #load} understands. */
    public enum Format { LITELLM_JSON, NATIVE_YAML, NATIVE_JSON }

    private PriceBooks() {
    }

    /** A book of the entries in a file; LiteLLM entries are in force from the beginning of time. */
    public static PriceBook load(Path file) {
        return PriceBook.of(read(file));
    }

    /** The entries in a file, in either format. */
    public static List<PriceEntry> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = yaml ? NativePriceBook.parseYaml(in) : NativePriceBook.parseJson(in);
            return entriesOf(root, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price book " + file, e);
        }
    }

    /** Which format a file holds. */
    public static Format detect(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Format.NATIVE_YAML;
        }
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = NativePriceBook.parseJson(in);
            if (NativePriceBook.looksNative(root)) {
                return Format.NATIVE_JSON;
            }
            if (LiteLlmPriceMap.looksLikeLiteLlm(root)) {
                return Format.LITELLM_JSON;
            }
            throw new PriceBookFormatException(file + ": neither a native price book nor a LiteLLM price map");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price book " + file, e);
        }
    }

    /** The shipped default book: the LiteLLM price map copied into the jar, in force from the beginning of time. */
    public static PriceBook loadDefault() {
        return PriceBook.of(readDefault());
    }

    /** The entries of the shipped default book. */
    public static List<PriceEntry> readDefault() {
        try (InputStream in = PriceBooks.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default price book missing from the classpath: " + DEFAULT_RESOURCE);
            }
            return LiteLlmPriceMap.read(in, Instant.EPOCH).entries();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default price book", e);
        }
    }

    private static List<PriceEntry> entriesOf(JsonNode root, String where) {
        if (NativePriceBook.looksNative(root)) {
            return NativePriceBook.read(root);
        }
        if (LiteLlmPriceMap.looksLikeLiteLlm(root)) {
            return LiteLlmPriceMap.read(root, Instant.EPOCH).entries();
        }
        throw new PriceBookFormatException(where + ": neither a native price book (an 'entries' list) "
                + "nor a LiteLLM price map (model objects with litellm_provider)");
    }
}
