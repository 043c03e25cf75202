package dev.tokenledger.warehouse.statements;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The features and their homes that targets and sources are resolved against: the ownership registry, plus any
 * feature the month's rollups carry that the registry does not know. The {@code unallocated} bucket is never a home
 * a target can name: what no one owns is a source, and its statement line is its own.
 */
public final class OwnershipRegistry {

    private final Map<String, FeatureHome> homes = new LinkedHashMap<>();

    public OwnershipRegistry(Collection<FeatureHome> registry) {
        for (FeatureHome home : registry) {
            homes.put(home.feature(), home);
        }
    }

    /** A feature seen in the rollups but not in the registry joins with the team the rollups carry. */
    public OwnershipRegistry withCells(Collection<CostCell> cells) {
        OwnershipRegistry copy = new OwnershipRegistry(homes.values());
        for (CostCell cell : cells) {
            copy.homes.putIfAbsent(cell.feature(), new FeatureHome(cell.feature(), cell.team(), null, null, null));
        }
        return copy;
    }

    public FeatureHome home(String feature) {
        FeatureHome home = homes.get(feature);
        return home != null ? home : new FeatureHome(feature, null, null, null, null);
    }

    /** The features a target at {@code level} named {@code id} covers, the unallocated bucket excluded. */
    public List<String> featuresOf(TargetLevel level, String id) {
        return homes.values().stream()
                .filter(h -> !h.feature().equals(RuleSource.UNALLOCATED) && id.equals(level.of(h)))
                .map(FeatureHome::feature).toList();
    }

    /** Every id known at {@code level}, for messages. */
    public Set<String> ids(TargetLevel level) {
        Set<String> ids = new LinkedHashSet<>();
        for (FeatureHome h : homes.values()) {
            if (!h.feature().equals(RuleSource.UNALLOCATED) && level.of(h) != null) {
                ids.add(level.of(h));
            }
        }
        return ids;
    }

    /** The features whose cost (or received cost) a source's bucket can hold, for the cycle check. */
    List<String> featuresHeldBy(RuleSource source) {
        return homes.values().stream().filter(source::holdsReceived).map(FeatureHome::feature).toList();
    }

    public boolean knowsFeature(String feature) {
        return homes.containsKey(feature);
    }
}
