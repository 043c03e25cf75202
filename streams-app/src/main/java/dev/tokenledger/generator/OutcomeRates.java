package dev.tokenledger.generator;

import java.math.BigDecimal;
import java.util.Map;

/**
 * How the fictional company's tasks turn out, per feature and model (the request model of the task's first call).
 * Rates are traffic mix probabilities, never money; values are exact decimals at scale 12.
 *
 * <p>The point of the table: claude-haiku-4-5 is a third of claude-sonnet-4-5's price per call on support-copilot
 * but resolves one ticket in ten where sonnet resolves nine, so per resolved ticket it is the dearer model, and
 * gpt-4o (a little dearer per call than sonnet, about half as good) the dearest.
 */
final class OutcomeRates {

    /**
     * @param noOutcome share of tasks the product reports nothing for (they end {@code unknown})
     * @param abandoned share of tasks the user gave up on
     * @param success   share of the other tasks that succeed (the rest fail)
     * @param valueUsd  business value of a success, null when the product does not know it (a known value makes a
     *                  failure or abandonment worth zero)
     */
    record Rates(String taskType, double noOutcome, double abandoned, double success, BigDecimal valueUsd) {
    }

    private static final Map<String, Map<String, Rates>> BY_FEATURE = Map.of(
            "support-copilot", Map.of(
                    "claude-sonnet-4-5", rates("ticket_resolved", 0.04, 0.06, 0.90, "3.50"),
                    "gpt-4o", rates("ticket_resolved", 0.04, 0.06, 0.55, "3.50"),
                    "claude-haiku-4-5", rates("ticket_resolved", 0.04, 0.06, 0.10, "3.50")),
            "ticket-summarizer", Map.of(
                    "claude-haiku-4-5", rates("ticket_summarized", 0.03, 0.0, 0.93, "0.25"),
                    "gpt-4o-mini", rates("ticket_summarized", 0.03, 0.0, 0.85, "0.25")),
            "onboarding-agent", Map.of(
                    "gpt-5", rates("account_onboarded", 0.05, 0.12, 0.70, null),
                    "claude-sonnet-4-5", rates("account_onboarded", 0.05, 0.12, 0.78, null)),
            "code-review-bot", Map.of(
                    "claude-sonnet-4-5", rates("pr_reviewed", 0.05, 0.04, 0.80, null),
                    "claude-opus-4-1", rates("pr_reviewed", 0.05, 0.04, 0.88, null),
                    "o3", rates("pr_reviewed", 0.05, 0.04, 0.72, null)),
            "contract-review", Map.of(
                    "claude-sonnet-4-5", rates("contract_reviewed", 0.03, 0.05, 0.85, "40.00"),
                    "claude-opus-4-1", rates("contract_reviewed", 0.03, 0.05, 0.90, "40.00"),
                    "gemini-2.5-pro", rates("contract_reviewed", 0.03, 0.05, 0.60, "40.00")));

    /** A model a feature's table does not name (the unknown model, say): the feature's middling odds. */
    private static final Rates FALLBACK_SHARE = rates(null, 0.05, 0.05, 0.70, null);

    private OutcomeRates() {
    }

    /**
     * The rates of a task of {@code feature} whose first call asked for {@code model}; null when the product does
     * not report outcomes for the feature (eval-harness: its tasks end {@code unknown}).
     */
    static Rates of(String feature, String model) {
        Map<String, Rates> models = feature == null ? null : BY_FEATURE.get(feature);
        if (models == null) {
            return null;
        }
        Rates rates = models.get(model);
        if (rates != null) {
            return rates;
        }
        Rates any = models.values().iterator().next();
        return new Rates(any.taskType(), FALLBACK_SHARE.noOutcome(), FALLBACK_SHARE.abandoned(), FALLBACK_SHARE.success(),
                any.valueUsd());
    }

    private static Rates rates(String taskType, double noOutcome, double abandoned, double success, String value) {
        return new Rates(taskType, noOutcome, abandoned, success, value == null ? null : new BigDecimal(value).setScale(12));
    }
}
