package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable index of one provider's price versions, rebuilt when the provider's part of the
 * book changes. Every name a model can be asked by (its own, its aliases, the Bedrock
 * cross-region ids of its regional entries) is a key of one hash map, so a lookup is one hash
 * probe plus a binary search over the model's versions.
 */
final class ProviderIndex {

    /** Versions of one (model, region), sorted by effective_from; the floor is the price in force. */
    static final class Versions {
        private final long[] from;
        private final RateCard[] cards;

        Versions(List<RateCard> sorted) {
            this.cards = sorted.toArray(new RateCard[0]);
            this.from = new long[cards.length];
            for (int i = 0; i < cards.length; i++) {
                from[i] = cards[i].effectiveFromMillis();
            }
        }

        /** The latest version with effective_from at or before {@code at}, or null. */
        RateCard inForce(long at) {
            int lo = 0;
            int hi = from.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (from[mid] <= at) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found < 0 ? null : cards[found];
        }
    }

    /** All versions of one model: the global ones and those of each region. */
    static final class ModelVersions {
        final String model;
        final Versions global;
        final Map<String, Versions> regional;

        ModelVersions(String model, Versions global, Map<String, Versions> regional) {
            this.model = model;
            this.global = global;
            this.regional = regional;
        }
    }

    /** A name that reaches a model, how, and the region the name itself implies (Bedrock {@code us.}). */
    record Binding(ModelVersions versions, MatchKind kind, String impliedRegion) {
    }

    private final Map<String, Binding> names;

    private ProviderIndex(Map<String, Binding> names) {
        this.names = names;
    }

    Binding binding(String nameKey) {
        return names.get(nameKey);
    }

    static ProviderIndex build(Collection<PriceEntry> entries) {
        // model key -> region ("" = global) -> cards; TreeMaps keep the build deterministic.
        Map<String, Map<String, List<RateCard>>> byModel = new TreeMap<>();
        Map<String, List<String>> aliasesByModel = new HashMap<>();
        for (PriceEntry e : entries) {
            String model = ModelNames.key(e.getModel());
            String region = e.getRegion() == null ? "" : ModelNames.key(e.getRegion());
            byModel.computeIfAbsent(model, m -> new TreeMap<>())
                    .computeIfAbsent(region, r -> new ArrayList<>())
                    .add(new RateCard(e));
            for (String alias : e.getAliases()) {
                aliasesByModel.computeIfAbsent(model, m -> new ArrayList<>()).add(ModelNames.key(alias));
            }
        }

        Map<String, Binding> names = new HashMap<>();
        List<Binding> derived = new ArrayList<>();
        List<String> derivedNames = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<RateCard>>> m : byModel.entrySet()) {
            ModelVersions mv = versionsOf(m.getKey(), m.getValue());
            names.put(m.getKey(), new Binding(mv, MatchKind.EXACT, null));
            for (String region : mv.regional.keySet()) {
                // A regional entry answers to its Bedrock cross-region id: us + anthropic.claude-... -> us.anthropic.claude-...
                derivedNames.add(region + "." + m.getKey());
                derived.add(new Binding(mv, MatchKind.REGIONAL, region));
            }
            for (String alias : aliasesByModel.getOrDefault(m.getKey(), List.of())) {
                derivedNames.add(alias);
                derived.add(new Binding(mv, MatchKind.ALIAS, null));
            }
        }
        // A model's own name always wins over another model's alias or derived id; among those, the first (sorted) wins.
        for (int i = 0; i < derived.size(); i++) {
            names.putIfAbsent(derivedNames.get(i), derived.get(i));
        }
        return new ProviderIndex(names);
    }

    private static ModelVersions versionsOf(String model, Map<String, List<RateCard>> byRegion) {
        Versions global = null;
        Map<String, Versions> regional = new HashMap<>();
        for (Map.Entry<String, List<RateCard>> r : byRegion.entrySet()) {
            List<RateCard> cards = r.getValue();
            // Same effective_from twice (e.g. provider spelled two ways): the larger key wins, deterministically.
            cards.sort(Comparator.comparingLong(RateCard::effectiveFromMillis).thenComparing(RateCard::key));
            List<RateCard> unique = new ArrayList<>(cards.size());
            for (RateCard c : cards) {
                if (!unique.isEmpty() && unique.get(unique.size() - 1).effectiveFromMillis() == c.effectiveFromMillis()) {
                    unique.set(unique.size() - 1, c);
                } else {
                    unique.add(c);
                }
            }
            Versions v = new Versions(unique);
            if (r.getKey().isEmpty()) {
                global = v;
            } else {
                regional.put(r.getKey(), v);
            }
        }
        return new ModelVersions(model, global, regional);
    }
}
