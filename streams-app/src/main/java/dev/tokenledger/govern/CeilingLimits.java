package dev.tokenledger.govern;

import java.math.BigDecimal;

/**
 * Runaway-loop ceilings for one feature; a null limit is switched off. Ceilings are crossed when
 * strictly exceeded: a call costing exactly the per-request ceiling is within it.
 *
 * @param requestUsd    one call costing more than this raises request_ceiling
 * @param agentRunUsd   an agent run's session costing more than this raises agent_run_ceiling
 * @param agentRunCalls an agent run's session making more calls than this raises agent_run_ceiling
 * @param action        what the alert tells the gateway to do (alert, block, ...)
 */
public record CeilingLimits(BigDecimal requestUsd, BigDecimal agentRunUsd, Long agentRunCalls, String action) {

    public boolean requestExceeded(BigDecimal cost) {
        return requestUsd != null && cost.compareTo(requestUsd) > 0;
    }

    public boolean agentRunExceeded(BigDecimal cost, long calls) {
        return (agentRunUsd != null && cost.compareTo(agentRunUsd) > 0) || (agentRunCalls != null && calls > agentRunCalls);
    }
}
