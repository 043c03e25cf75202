package dev.tokenledger.invoice;

import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvTable;
import dev.tokenledger.price.ProviderNames;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The override file: CSV {@code provider,billed_model,model} (header optional), for names no rule maps or maps
 * wrongly. The provider is read as the price book reads it ({@code bedrock} is {@code aws.bedrock}); the billed
 * model matches case-insensitively; the model is taken as written. Each (provider, billed_model) once.
 */
public final class ModelOverrides {

    public static final ModelOverrides NONE = new ModelOverrides(Map.of());
    private static final List<String> COLUMNS = List.of("provider", "billed_model", "model");

    private final Map<String, String> byKey;

    private ModelOverrides(Map<String, String> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The overrides of a file; every bad line is reported and none is read. */
    public static ModelOverrides parse(String fileName, String text) throws InvalidInvoiceException {
        Problems problems = new Problems(fileName);
        CsvTable.Rows table = CsvTable.read(text, COLUMNS);
        for (CsvLineError e : table.errors()) {
            problems.atLine(e.line(), e.detail());
        }
        Map<String, String> byKey = new HashMap<>();
        for (CsvTable.Row row : table.rows()) {
            List<String> missing = COLUMNS.stream().filter(c -> row.get(c).isEmpty()).toList();
            if (!missing.isEmpty()) {
                problems.atLine(row.line(), String.join(", ", missing) + " missing");
                continue;
            }
            String key = key(row.get("provider"), row.get("billed_model"));
            if (byKey.putIfAbsent(key, row.get("model")) != null) {
                problems.atLine(row.line(), "a second override for " + row.get("provider") + " " + row.get("billed_model"));
            }
        }
        problems.throwIfAny();
        return new ModelOverrides(byKey);
    }

    Optional<String> modelFor(String provider, String billedModel) {
        return Optional.ofNullable(byKey.get(key(provider, billedModel)));
    }

    public int size() {
        return byKey.size();
    }

    private static String key(String provider, String billedModel) {
        return ProviderNames.canonical(provider) + "\n" + billedModel.trim().toLowerCase(Locale.ROOT);
    }
}
