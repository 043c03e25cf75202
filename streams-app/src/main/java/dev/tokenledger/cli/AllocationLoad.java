package dev.tokenledger.cli;

import dev.tokenledger.avro.Ownership;
import dev.tokenledger.warehouse.statements.AllocationPolicy;
import dev.tokenledger.warehouse.statements.AllocationRulesCheck;
import dev.tokenledger.warehouse.statements.AllocationRulesStore;
import dev.tokenledger.warehouse.statements.AllocationRulesYaml;
import dev.tokenledger.warehouse.statements.FeatureHome;
import dev.tokenledger.warehouse.statements.InvalidAllocationRules;
import dev.tokenledger.warehouse.statements.OwnershipRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/** {@code load allocation FILE} and {@code demo --allocation FILE}: the allocation rules, checked, into the warehouse. */
final class AllocationLoad {

    private AllocationLoad() {
    }

    static int load(Path file, boolean dryRun, WarehouseOptions warehouse, PrintWriter out, PrintWriter err) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(text);
        if (!parsed.ok()) {
            err.println("error: " + new InvalidAllocationRules(file.toString(), parsed.problems()).getMessage());
            err.flush();
            return 1;
        }
        if (dryRun) {
            out.println("tokenledger | " + file + ": " + describe(parsed.policy()) + " valid (dry run, nothing loaded;"
                    + " targets are checked against the ownership registry when loaded)");
            out.flush();
            return 0;
        }
        try (WarehouseOptions.OpenWarehouse open = warehouse.open()) {
            AllocationPolicy policy = AllocationRulesStore.load(file.toString(), text, open.dataSource());
            out.println("tokenledger | loaded " + describe(policy) + " into allocation_rules in " + open.describe());
            out.flush();
            return 0;
        } catch (InvalidAllocationRules e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (WarehouseOptions.NoWarehouseException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: cannot load allocation rules into the warehouse: " + WarehouseOptions.describeFailure(e));
            return 1;
        }
    }

    /** For the demo: the file read and checked against the ownership registry it publishes, before anything starts. */
    static AllocationPolicy checked(Path file, List<KeyValue<String, Ownership>> owners) throws ReferenceData.InvalidReferenceData {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReferenceData.InvalidReferenceData("cannot read --allocation " + file + ": " + e.getMessage());
        }
        return checked(file.toString(), text, owners);
    }

    /** The demo's own rules ({@link #DEMO_RULES}, the shipped examples/allocation.yaml), checked against its registry. */
    static AllocationPolicy demoDefault(List<KeyValue<String, Ownership>> owners) throws ReferenceData.InvalidReferenceData {
        try (java.io.InputStream in = AllocationLoad.class.getResourceAsStream(DEMO_RULES)) {
            if (in == null) {
                throw new ReferenceData.InvalidReferenceData("missing built-in resource " + DEMO_RULES);
            }
            return checked(DEMO_RULES, new String(in.readAllBytes(), StandardCharsets.UTF_8), owners);
        } catch (IOException e) {
            throw new ReferenceData.InvalidReferenceData("cannot read " + DEMO_RULES + ": " + e.getMessage());
        }
    }

    /** Where the jar carries examples/allocation.yaml (streams-app/pom.xml), the demo's default rules. */
    static final String DEMO_RULES = "/demo/allocation.yaml";

    private static AllocationPolicy checked(String source, String text, List<KeyValue<String, Ownership>> owners)
            throws ReferenceData.InvalidReferenceData {
        AllocationRulesYaml.Parsed parsed = AllocationRulesYaml.parse(text);
        var problems = parsed.ok() ? AllocationRulesCheck.check(parsed.policy(), registry(owners)) : parsed.problems();
        if (!problems.isEmpty()) {
            throw new ReferenceData.InvalidReferenceData(new InvalidAllocationRules(source, problems).getMessage());
        }
        return parsed.policy();
    }

    static String describe(AllocationPolicy policy) {
        return policy.ruleCount() + " allocation rules in " + policy.versions().size() + " version(s) from "
                + policy.versions().get(0).effectiveFrom();
    }

    private static OwnershipRegistry registry(List<KeyValue<String, Ownership>> owners) {
        return new OwnershipRegistry(owners.stream().filter(kv -> kv.key.startsWith("feature:"))
                .map(kv -> new FeatureHome(kv.value.getFeature(), kv.value.getTeam(), kv.value.getCostCenter(),
                        kv.value.getProductLine(), kv.value.getOwner()))
                .toList());
    }
}
