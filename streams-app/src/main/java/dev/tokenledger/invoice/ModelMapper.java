package dev.tokenledger.invoice;

import dev.tokenledger.avro.ModelMapping;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.price.PriceMatch;
import dev.tokenledger.price.ProviderNames;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps an invoice's billed model onto the price book's model name, trying in order:
 * <ol>
 *   <li>{@code override}: the override file names it for this provider;</li>
 *   <li>{@code exact}: the book knows the name as billed (its own lookup: case, aliases, provider prefixes,
 *       Bedrock region prefixes);</li>
 *   <li>the source's rule: {@code dated_snapshot} (the name without {@code -2024-08-06} / {@code -20250514});
 *       {@code bedrock_service_name} (the one book model whose compact name equals the service name's);
 *       {@code azure_meter} (meter words as a name, its {@code 0806} matched against the book's dated names,
 *       else the undated name); {@code vertex_sku} (SKU words as a name);</li>
 *   <li>else {@code unmapped}, model null: the line stays, visible.</li>
 * </ol>
 * A rule's result counts only when the book holds it on the billing day, so nothing maps to a name the book
 * cannot price. Two or more book models fitting a Bedrock service name is ambiguous: unmapped, for an override.
 * Not thread-safe: one mapper per load.
 */
public final class ModelMapper {

    /** The book's model name (null when unmapped) and the rule that found it. */
    public record Mapped(String model, ModelMapping mapping) {
        static final Mapped UNMAPPED = new Mapped(null, ModelMapping.unmapped);
    }

    private final PriceBook book;
    private final ModelOverrides overrides;
    private final Map<String, Mapped> memo = new HashMap<>();

    public ModelMapper(PriceBook book, ModelOverrides overrides) {
        this.book = book;
        this.overrides = overrides;
    }

    /**
     * The book's name for a model as the gateway's events name it (their billed model), by the rules an
     * OpenAI or Anthropic model id gets: the book's own lookup, else without its date. Null when the book
     * does not hold it that day. The reconcile stage compares both sides by this name.
     */
    public String bookModel(String provider, String eventModel, LocalDate day) {
        return map(provider, eventModel, ModelRule.MODEL_ID, day).model();
    }

    /** A file repeats a few names many times: each (provider, name, rule, day) is mapped once. */
    Mapped map(String provider, String billedModel, ModelRule rule, LocalDate day) {
        return memo.computeIfAbsent(String.join("\n", provider, billedModel, rule.name(), day.toString()),
                k -> mapOnce(provider, billedModel, rule, day));
    }

    private Mapped mapOnce(String provider, String billedModel, ModelRule rule, LocalDate day) {
        Optional<String> override = overrides.modelFor(provider, billedModel);
        if (override.isPresent()) {
            return new Mapped(override.get(), ModelMapping.override);
        }
        if (rule == ModelRule.NONE) {
            return Mapped.UNMAPPED;
        }
        Optional<String> exact = known(provider, billedModel, day);
        if (exact.isPresent()) {
            return new Mapped(exact.get(), ModelMapping.exact);
        }
        Optional<String> byRule = switch (rule) {
            case MODEL_ID -> Optional.ofNullable(BilledNames.undated(billedModel)).flatMap(n -> known(provider, n, day));
            case BEDROCK_SERVICE -> bedrock(provider, billedModel, day);
            case AZURE_METER -> azure(provider, billedModel, day);
            case VERTEX_SKU -> known(provider, BilledNames.vertexModel(billedModel), day);
            case NONE -> Optional.empty();
        };
        return byRule.map(model -> new Mapped(model, mappingOf(rule))).orElse(Mapped.UNMAPPED);
    }

    private static ModelMapping mappingOf(ModelRule rule) {
        return switch (rule) {
            case MODEL_ID -> ModelMapping.dated_snapshot;
            case BEDROCK_SERVICE -> ModelMapping.bedrock_service_name;
            case AZURE_METER -> ModelMapping.azure_meter;
            case VERTEX_SKU -> ModelMapping.vertex_sku;
            case NONE -> ModelMapping.unmapped;
        };
    }

    private Optional<String> bedrock(String provider, String billedModel, LocalDate day) {
        String wanted = BilledNames.bedrockCompact(billedModel);
        List<String> fits = book.models(provider).stream()
                .filter(model -> BilledNames.bedrockCompact(model).equals(wanted))
                .toList();
        return fits.size() == 1 ? known(provider, fits.get(0), day) : Optional.empty();
    }

    private Optional<String> azure(String provider, String billedModel, LocalDate day) {
        String name = BilledNames.azureModel(billedModel);
        String[] snapshot = BilledNames.azureSnapshot(name);
        if (snapshot == null) {
            return known(provider, name, day);
        }
        Pattern dated = Pattern.compile(Pattern.quote(snapshot[0]) + "-\\d{4}-" + snapshot[1] + "-" + snapshot[2]);
        List<String> fits = book.models(provider).stream().filter(m -> dated.matcher(m).matches()).toList();
        if (fits.size() == 1) {
            return known(provider, fits.get(0), day);
        }
        return known(provider, snapshot[0], day);
    }

    /** The book's name for a model it holds on that day (any version in force by its end), else empty. */
    private Optional<String> known(String provider, String name, LocalDate day) {
        Instant endOfDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
        return book.lookup(ProviderNames.canonical(provider), name, null, endOfDay)
                .map(PriceMatch::entry)
                .map(entry -> entry.getModel());
    }
}
