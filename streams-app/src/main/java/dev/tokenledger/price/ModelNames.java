package dev.tokenledger.price;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading model names the way gateways and LiteLLM spell them. Only rewrites that cannot change
 * the price are applied: provider prefixes ({@code gemini/}), LiteLLM routing segments and
 * region prefixes. Date suffixes are never stripped: a dated snapshot can have its own price
 * ({@code gpt-4o-2024-05-13} costs twice {@code gpt-4o}), so guessing from the undated name is wrong.
 */
final class ModelNames {

    /** Bedrock cross-region inference profile prefixes ({@code us.anthropic.claude-...}). */
    static final Set<String> BEDROCK_GEOS = Set.of("us", "eu", "apac", "au", "jp", "ca", "us-gov", "global");
    /** The Bedrock profile that routes worldwide: priced as the global entry, not a regional one. */
    static final String BEDROCK_GLOBAL = "global";
    /** An AWS region segment as LiteLLM writes it: {@code bedrock/us-east-1/...}. */
    static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d+");
    /** LiteLLM routing segments that do not change the model: {@code bedrock/invoke/...}, Google's {@code models/...}. */
    private static final Set<String> ROUTING_SEGMENTS = Set.of("invoke", "converse", "models");

    private ModelNames() {
    }

    /** The index key of a model name: case-insensitive. */
    static String key(String model) {
        return model.toLowerCase(Locale.ROOT);
    }

    /** A reading of a model name: the model, and the region its spelling implies (or null). */
    record Reading(String model, String region) {
    }

    /**
     * Other readings of a name that did not match as given, most specific first. Empty when there
     * is nothing to strip. Used on the slow path of a lookup only.
     */
    static List<Reading> readings(String model) {
        List<Reading> out = new ArrayList<>(2);
        String m = model.trim();
        String region = null;
        boolean stripped = false;
        int slash;
        while ((slash = m.indexOf('/')) > 0 && slash < m.length() - 1) {
            String segment = m.substring(0, slash);
            if (ProviderNames.isModelPrefix(segment) || ROUTING_SEGMENTS.contains(segment.toLowerCase(Locale.ROOT))) {
                m = m.substring(slash + 1);
                stripped = true;
            } else if (region == null && AWS_REGION.matcher(segment).matches()) {
                region = segment;
                m = m.substring(slash + 1);
                stripped = true;
            } else {
                break;
            }
        }
        if (stripped) {
            out.add(new Reading(m, region));
        }
        Reading geo = bedrockGeo(m);
        if (geo != null) {
            out.add(geo);
        }
        return out;
    }

    /**
     * Splits a Bedrock cross-region id {@code us.anthropic.claude-...} into the model and the
     * region {@code us}; {@code global.} gives the global entry (region null). Null when the name
     * is not such an id (it needs a vendor segment after the prefix: {@code geo.vendor.model}).
     */
    static Reading bedrockGeo(String model) {
        int dot = model.indexOf('.');
        if (dot <= 0 || model.indexOf('.', dot + 1) < 0) {
            return null;
        }
        String geo = model.substring(0, dot).toLowerCase(Locale.ROOT);
        if (!BEDROCK_GEOS.contains(geo)) {
            return null;
        }
        return new Reading(model.substring(dot + 1), BEDROCK_GLOBAL.equals(geo) ? null : geo);
    }
}
