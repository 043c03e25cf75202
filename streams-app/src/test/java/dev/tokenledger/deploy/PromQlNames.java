package dev.tokenledger.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a PromQL parser: it removes what cannot be a metric
 * name (string literals, label matchers in braces, range and subquery selectors in brackets, the label
 * lists of {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/{@code group_right},
 * numbers and durations), then every remaining identifier that is not a function call or a keyword is
 * a metric. Grafana's {@code label_values(metric, label)} names its metric first and a label second.
 */
final class PromQlNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("\\blabel_values\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)[^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2");
    /** Grafana's variables ($__rate_interval, $pod) are replaced before the query is sent. */
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?");

    private PromQlNames() {
    }

    static Set<String> metricNames(String expression) {
        String e = GRAFANA_VARIABLE.matcher(expression).replaceAll("5m");
        e = STRING.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(e);
        while (labelValues.find()) {
            names.add(labelValues.group(1));
        }
        e = labelValues.replaceAll(" ");
        e = e.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ");
        e = LABEL_LIST.matcher(e).replaceAll(" ");
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String name = m.group();
            boolean digitBefore = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1)); // 1e3, 90m
            String rest = e.substring(m.end()).stripLeading();
            if (!digitBefore && !rest.startsWith("(") && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
