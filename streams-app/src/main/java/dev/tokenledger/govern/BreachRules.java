package dev.tokenledger.govern;

import java.util.ArrayList;
import java.util.List;

/**
 * Which budget alerts to raise, each once per threshold per period per scope. The kinds already
 * raised are remembered with the period's spend ({@code raised}); a new period starts with none.
 *
 * <p>Spend within a period only grows, so a threshold stops being reached only when its budget is
 * edited upwards: it is then re-armed and raises again if spend reaches the new threshold. A
 * forecast re-arms only on a budget edit that puts the projection back under the budget, not when
 * the run rate merely dips, or a rate hovering at the line would raise it again and again.
 */
public final class BreachRules {

    private BreachRules() {
    }

    /** Kinds newly breached, in the order to raise them (soft before hard), added to {@code raised}. */
    public static List<AlertKind> newlyBreached(BudgetPosition position, List<String> raised) {
        List<AlertKind> kinds = new ArrayList<>(2);
        if (position.softReached() && !raised.contains(AlertKind.SOFT.id())) {
            kinds.add(AlertKind.SOFT);
        }
        if (position.hardReached() && !raised.contains(AlertKind.HARD.id())) {
            kinds.add(AlertKind.HARD);
        }
        if (position.forecastBreached() && !raised.contains(AlertKind.FORECAST.id())) {
            kinds.add(AlertKind.FORECAST);
        }
        kinds.forEach(k -> raised.add(k.id()));
        return kinds;
    }

    /** Forgets thresholds no longer reached (after a budget edit), so they can raise again. */
    public static void rearm(BudgetPosition position, List<String> raised, boolean budgetEdited) {
        if (!position.softReached()) {
            raised.remove(AlertKind.SOFT.id());
        }
        if (!position.hardReached()) {
            raised.remove(AlertKind.HARD.id());
        }
        if (budgetEdited && !position.forecastBreached() && position.spend().compareTo(position.amount()) < 0) {
            raised.remove(AlertKind.FORECAST.id());
        }
    }
}
