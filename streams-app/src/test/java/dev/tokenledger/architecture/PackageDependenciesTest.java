package dev.tokenledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packages point one way: the stages depend on nothing above them, and no two packages depend on
 * each other through any path. Layers, bottom up: contract and codecs (avro, registry, serde,
 * codec, money, csv, config, metrics, http, topics) and the forecaster (forecast: plain Java on money, read by the
 * warehouse's forecast report and the budget stage alike); the stages (validate, dedupe, price, attribute,
 * aggregate, govern, task, anomaly, reconcile) and invoice ingest and the input adapters (ingest) beside them; topology, which wires them; runtime (the production
 * runner); demo (the embedded stack and its tally), bench and generator; cli on top.
 */
class PackageDependenciesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // The other modules' test jars (schemas' and connectors' test helpers) are on the classpath of a reactor
        // build as jars, which DO_NOT_INCLUDE_TESTS (test-classes directories) does not recognise.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.tokenledger");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.tokenledger.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void stagesDependOnNothingAboveThem() {
        noClasses().that().resideInAnyPackage("dev.tokenledger.validate..", "dev.tokenledger.dedupe..",
                        "dev.tokenledger.price..", "dev.tokenledger.attribute..", "dev.tokenledger.aggregate..",
                        "dev.tokenledger.govern..", "dev.tokenledger.task..", "dev.tokenledger.anomaly..", "dev.tokenledger.invoice..",
                        "dev.tokenledger.reconcile..", "dev.tokenledger.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.topology..", "dev.tokenledger.runtime..",
                        "dev.tokenledger.cli..", "dev.tokenledger.bench..", "dev.tokenledger.generator..", "dev.tokenledger.demo..")
                .check(classes);
    }

    @Test
    void theAnomalyStageReadsOnlyTheContractAndTheRollups() {
        // Fed by hourly rollups, not by a per-event stage: nothing of validate..govern may leak in.
        noClasses().that().resideInAPackage("dev.tokenledger.anomaly..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.validate..", "dev.tokenledger.dedupe..",
                        "dev.tokenledger.price..", "dev.tokenledger.attribute..", "dev.tokenledger.govern..",
                        "dev.tokenledger.invoice..")
                .check(classes);
    }

    @Test
    void theReconcileStageReadsTheAggregatesTheInvoicesAndTheBookOnly() {
        // Fed by the rollup stage's sums and the invoice lines, never by the per-event stages.
        noClasses().that().resideInAPackage("dev.tokenledger.reconcile..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.validate..", "dev.tokenledger.dedupe..",
                        "dev.tokenledger.attribute..", "dev.tokenledger.govern..", "dev.tokenledger.task..",
                        "dev.tokenledger.anomaly..")
                .check(classes);
    }

    @Test
    void theInputAdaptersFeedTheValidateStageAndUseNoOtherStage() {
        // Adapters make what the validate stage reads; they reuse its codec and checks, and the provider names, nothing else.
        noClasses().that().resideInAPackage("dev.tokenledger.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.dedupe..", "dev.tokenledger.attribute..",
                        "dev.tokenledger.aggregate..", "dev.tokenledger.govern..", "dev.tokenledger.task..", "dev.tokenledger.anomaly..",
                        "dev.tokenledger.invoice..", "dev.tokenledger.reconcile..")
                .check(classes);
    }

    @Test
    void theForecasterIsPlainJavaOnTheMoneyTypeOnly() {
        // One forecaster for the report and the budget stage: it may not reach into either, nor into Kafka or JDBC.
        noClasses().that().resideInAPackage("dev.tokenledger.forecast..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.tokenledger.forecast..",
                        "dev.tokenledger.money..", "java..")
                .check(classes);
    }

    @Test
    void theProductionRunnerDoesNotDependOnTheDemoOrBenchHarness() {
        noClasses().that().resideInAPackage("dev.tokenledger.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.demo..", "dev.tokenledger.bench..",
                        "dev.tokenledger.cli..")
                .check(classes);
    }

    @Test
    void theContractLayerDependsOnNoStage() {
        noClasses().that().resideInAnyPackage("dev.tokenledger.registry..", "dev.tokenledger.serde..", "dev.tokenledger.codec..",
                        "dev.tokenledger.money..", "dev.tokenledger.csv..", "dev.tokenledger.config..",
                        "dev.tokenledger.metrics..", "dev.tokenledger.http..", "dev.tokenledger.topics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.validate..", "dev.tokenledger.dedupe..",
                        "dev.tokenledger.price..", "dev.tokenledger.attribute..", "dev.tokenledger.aggregate..",
                        "dev.tokenledger.govern..", "dev.tokenledger.task..", "dev.tokenledger.anomaly..", "dev.tokenledger.invoice..", "dev.tokenledger.reconcile..",
                        "dev.tokenledger.ingest..", "dev.tokenledger.topology..", "dev.tokenledger.runtime..",
                        "dev.tokenledger.cli..")
                .check(classes);
    }

    @Test
    void theWhatIfEngineReadsTheWarehouseAndPricesWithTheCostEngineOnly() {
        // A month re-priced under a scenario: the price stage's engine and the warehouse, no other stage, no runtime.
        noClasses().that().resideInAPackage("dev.tokenledger.whatif..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenledger.validate..", "dev.tokenledger.dedupe..",
                        "dev.tokenledger.attribute..", "dev.tokenledger.aggregate..", "dev.tokenledger.govern..",
                        "dev.tokenledger.task..", "dev.tokenledger.anomaly..", "dev.tokenledger.reconcile..",
                        "dev.tokenledger.topology..", "dev.tokenledger.runtime..", "dev.tokenledger.demo..",
                        "dev.tokenledger.bench..", "dev.tokenledger.generator..", "dev.tokenledger.cli..")
                .check(classes);
    }
}
