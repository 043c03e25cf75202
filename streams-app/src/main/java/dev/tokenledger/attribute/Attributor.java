package dev.tokenledger.attribute;

import dev.tokenledger.avro.Attribution;
import dev.tokenledger.avro.Ownership;
import dev.tokenledger.avro.UsageEvent;
import java.util.function.Function;

/**
 * Stage 4 rules: who owns the cost of one event.
 * <ol>
 *   <li>{@code tagged}: the event's {@code feature} tag names a feature in the ownership registry;
 *       the registry (not the event's {@code team} tag) says which team owns it.</li>
 *   <li>{@code api_key}: otherwise the event's {@code api_key_id} is registered to a feature.</li>
 *   <li>{@code default}: otherwise the cost lands in the {@code unallocated} bucket, whose owner is
 *       the registry's {@code feature:unallocated} row or, failing that, the configured default owner.</li>
 * </ol>
 * Attribution coverage is the cost attributed by the first two rules over the total.
 */
public final class Attributor {

    public static final String UNALLOCATED = "unallocated";

    private final Function<String, Ownership> registry;
    private final String defaultOwner;

    /** @param registry lookup by topic key ({@code feature:NAME} or {@code api_key:ID}); null when absent */
    public Attributor(Function<String, Ownership> registry, String defaultOwner) {
        this.registry = registry;
        this.defaultOwner = defaultOwner;
    }

    public static String featureKey(String feature) {
        return "feature:" + feature;
    }

    public static String apiKeyKey(String apiKeyId) {
        return "api_key:" + apiKeyId;
    }

    public Attribution attribute(UsageEvent event) {
        if (notBlank(event.getFeature())) {
            Ownership owner = registry.apply(featureKey(event.getFeature()));
            if (owner != null) {
                return of(owner, event.getFeature(), "tagged");
            }
        }
        if (notBlank(event.getApiKeyId())) {
            Ownership byKey = registry.apply(apiKeyKey(event.getApiKeyId()));
            if (byKey != null) {
                // The key row names the feature it serves; that feature's row, when present, is authoritative.
                Ownership feature = registry.apply(featureKey(byKey.getFeature()));
                return of(feature != null ? feature : byKey, byKey.getFeature(), "api_key");
            }
        }
        Ownership bucket = registry.apply(featureKey(UNALLOCATED));
        return new Attribution(UNALLOCATED, UNALLOCATED,
                bucket == null ? null : bucket.getCostCenter(),
                bucket == null ? null : bucket.getProductLine(),
                bucket == null || bucket.getOwner() == null ? defaultOwner : bucket.getOwner(),
                "default");
    }

    private static Attribution of(Ownership o, String feature, String method) {
        return new Attribution(o.getTeam(), feature, o.getCostCenter(), o.getProductLine(), o.getOwner(), method);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
