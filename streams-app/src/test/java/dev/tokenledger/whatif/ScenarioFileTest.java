package dev.tokenledger.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScenarioFileTest {

    private static Scenario parse(String yaml) {
        return ScenarioFile.parse(new StringReader(yaml), "s.yaml", Path.of("..", "examples"), "s");
    }

    private static InvalidScenarioException invalid(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidScenarioException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void shouldReadEveryLever() {
        Scenario s = parse("""
                name: q1 plan
                price_book: pricebook.yaml
                rate_factors:
                  - {provider: anthropic, factor: "0.85"}
                  - {provider: openai, model: gpt-4o, factor: 0.9}
                substitutions:
                  - feature: support-copilot
                    from: claude-sonnet-4-5-20250929
                    to: {provider: anthropic, model: claude-haiku-4-5-20251001}
                    token_shape: {output: +15, input: -5}
                    success_rate: 0.88
                batch:
                  workloads: [nightly-eval]
                  features: [eval-harness]
                cache_reads:
                  - {feature: doc-qa, share: 0.6, write_share: 0.1}
                token_shape:
                  - {all: 20}
                  - {feature: doc-qa, output: -10, all: 5}
                """);

        assertThat(s.name()).isEqualTo("q1 plan");
        assertThat(s.priceBook()).contains(Path.of("..", "examples").resolve("pricebook.yaml"));
        assertThat(s.rateFactors()).extracting(Scenario.RateFactor::model).containsExactly(null, "gpt-4o");
        assertThat(s.rateFactors().get(1).factor()).isEqualByComparingTo("0.9");
        Scenario.Substitution sub = s.substitutions().get(0);
        assertThat(sub.toModel()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(sub.tokens().percent()).containsEntry(TokenClass.OUTPUT, new BigDecimal("15"))
                .containsEntry(TokenClass.INPUT, new BigDecimal("-5")).hasSize(2);
        assertThat(sub.successRate()).contains(new BigDecimal("0.88"));
        assertThat(sub.line()).isEqualTo(7);
        assertThat(s.batch().orElseThrow().covers("nightly-eval", "eval-harness")).isTrue();
        assertThat(s.batch().orElseThrow().covers("nightly-eval", "doc-qa")).isFalse();
        assertThat(s.batch().orElseThrow().covers(null, "eval-harness")).isFalse();
        assertThat(s.cacheReads().get(0).writeShare()).isEqualByComparingTo("0.1");
        assertThat(s.tokenShapes()).hasSize(2);
        assertThat(s.tokenShapes().get(0).feature()).isNull();
        // 'all' fills the classes not named on their own.
        assertThat(s.tokenShapes().get(1).factors().percent()).containsEntry(TokenClass.OUTPUT, new BigDecimal("-10"))
                .containsEntry(TokenClass.INPUT, new BigDecimal("5")).hasSize(5);
    }

    @Test
    void shouldNameTheLineOfEveryProblemAndUseNothing() {
        InvalidScenarioException e = invalid("""
                name: bad
                rate_factor:
                  - {provider: anthropic, factor: 0.85}
                rate_factors:
                  - {provider: anthropic, factor: -1}
                  - {factor: 0.9}
                substitutions:
                  - feature: support
                    from: gpt-4o
                    token_shape: {outputs: 10}
                    success_rate: 1.5
                cache_reads:
                  - {feature: doc-qa, share: 60}
                batch: {}
                token_shape: {all: 1e2}
                """);

        assertThat(e.problems()).containsExactly(
                "line 2: scenario: unknown key 'rate_factor', expected one of [batch, cache_reads, name, price_book,"
                        + " rate_factors, substitutions, token_shape]",
                "line 5: factor must be above 0, was -1",
                "line 6: 'provider' missing",
                "line 8: substitution: 'to' missing (provider and model of the substitute)",
                "line 10: token_shape: unknown class 'outputs', expected input, cache_read, cache_write, output, reasoning or all",
                "line 10: token_shape: no class given",
                "line 11: 'success_rate' is a share from 0 to 1, was 1.5",
                "line 13: 'share' is a share from 0 to 1, was 60",
                "line 14: batch: name the batch-eligible workloads or features (or both)",
                "line 15: 'all' must be a plain decimal such as 0.85 or -10, was '1e2'",
                "line 15: token_shape: no class given");
        assertThat(e.getMessage()).startsWith("s.yaml: 11 errors");
    }

    @Test
    void shouldSayWhereTheYamlStopsParsingAndRejectADuplicateKey() {
        assertThat(invalid("name: a\nbatch: [unclosed\n").problems().get(0)).startsWith("line 2: not YAML");
        assertThat(invalid("name: a\nname: b\n").problems().get(0)).contains("duplicate key 'name'");
        assertThat(invalid("price_book: no-such-book.yaml\n").problems().get(0))
                .startsWith("line 1: price_book ").endsWith("no-such-book.yaml is not a file");
    }

    @Test
    void shouldReadTheShippedExamples() throws Exception {
        try (var files = Files.newDirectoryStream(Path.of("..", "examples"), "scenario-*.yaml")) {
            int read = 0;
            for (Path file : files) {
                assertThat(ScenarioFile.read(file).name()).as(file.toString()).isNotBlank();
                read++;
            }
            assertThat(read).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldTakeANameFromTheFileWhenTheScenarioHasNone() {
        assertThat(parse("token_shape: {all: 20}").name()).isEqualTo("s");
        assertThatThrownBy(() -> parse("- a list")).isInstanceOf(InvalidScenarioException.class);
    }
}
