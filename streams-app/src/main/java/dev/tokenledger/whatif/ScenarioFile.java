package dev.tokenledger.whatif;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scenario file (YAML, docs/whatif.md). Every problem is collected with its line and none of the file is
 * used: a misspelled lever must not silently become "no change". Unknown keys are errors.
 */
public final class ScenarioFile {

    private static final Set<String> TOP = Set.of("name", "price_book", "rate_factors", "substitutions", "batch",
            "cache_reads", "token_shape");
    private static final Set<String> RATE_FACTOR = Set.of("provider", "model", "factor");
    private static final Set<String> SUBSTITUTION = Set.of("feature", "from", "to", "token_shape", "success_rate");
    private static final Set<String> TARGET = Set.of("provider", "model");
    private static final Set<String> BATCH = Set.of("workloads", "features");
    private static final Set<String> CACHE = Set.of("feature", "share", "write_share");

    private final List<Problem> problems = new ArrayList<>();

    private ScenarioFile() {
    }

    /** The scenario in {@code file}; a relative {@code price_book} is resolved against the file's directory. */
    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(new StringReader(text), file.toString(), dir, stem);
    }

    /** The scenario in {@code yaml}; {@code where} names it in errors. */
    public static Scenario parse(Reader yaml, String where, Path baseDir, String defaultName) {
        ScenarioFile reader = new ScenarioFile();
        Scenario scenario;
        try {
            scenario = reader.scenario(LocatedYaml.parse(yaml), baseDir, defaultName);
        } catch (LocatedYaml.SyntaxException e) {
            throw new InvalidScenarioException(where, List.of("line " + e.line + ": not YAML: " + e.getMessage()));
        } catch (IOException e) {
            throw new InvalidScenarioException(where, List.of("cannot read: " + e.getMessage()));
        }
        if (!reader.problems.isEmpty()) {
            throw new InvalidScenarioException(where, reader.problems.stream()
                    .sorted(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::order))
                    .map(Problem::text).toList());
        }
        return scenario;
    }

    private Scenario scenario(LocatedYaml root, Path baseDir, String defaultName) {
        if (!root.isMapping()) {
            problem(root, "a scenario is a mapping of levers (name, price_book, rate_factors, substitutions, batch,"
                    + " cache_reads, token_shape)");
            return null;
        }
        keys(root, TOP, "scenario");
        String name = text(root, "name", false);
        Optional<Path> book = Optional.ofNullable(text(root, "price_book", false))
                .map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        book.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                problem(root.get("price_book"), "price_book " + p + " is not a file");
            }
        });
        List<Scenario.RateFactor> factors = new ArrayList<>();
        for (LocatedYaml item : list(root, "rate_factors")) {
            if (keys(item, RATE_FACTOR, "rate factor")) {
                BigDecimal factor = decimal(item, "factor", true);
                if (factor != null && factor.signum() <= 0) {
                    problem(item.get("factor"), "factor must be above 0, was " + factor.toPlainString());
                }
                factors.add(new Scenario.RateFactor(text(item, "provider", true), text(item, "model", false), factor,
                        item.line()));
            }
        }
        List<Scenario.Substitution> substitutions = new ArrayList<>();
        for (LocatedYaml item : list(root, "substitutions")) {
            if (keys(item, SUBSTITUTION, "substitution")) {
                LocatedYaml to = item.get("to");
                String toProvider = null;
                String toModel = null;
                if (to == null) {
                    problem(item, "substitution: 'to' missing (provider and model of the substitute)");
                } else if (keys(to, TARGET, "to")) {
                    toProvider = text(to, "provider", true);
                    toModel = text(to, "model", true);
                }
                LocatedYaml shape = item.get("token_shape");
                TokenFactors tokens = shape == null ? TokenFactors.NONE : factors(shape, false);
                BigDecimal rate = share(item, "success_rate", false);
                substitutions.add(new Scenario.Substitution(text(item, "feature", true), text(item, "from", true),
                        toProvider, toModel, tokens, Optional.ofNullable(rate), item.line()));
            }
        }
        Optional<Scenario.BatchLever> batch = Optional.empty();
        LocatedYaml batchNode = root.get("batch");
        if (batchNode != null && keys(batchNode, BATCH, "batch")) {
            Set<String> workloads = names(batchNode, "workloads");
            Set<String> features = names(batchNode, "features");
            if (workloads.isEmpty() && features.isEmpty()) {
                problem(batchNode, "batch: name the batch-eligible workloads or features (or both)");
            }
            batch = Optional.of(new Scenario.BatchLever(workloads, features, batchNode.line()));
        }
        List<Scenario.CacheShare> caches = new ArrayList<>();
        for (LocatedYaml item : list(root, "cache_reads")) {
            if (keys(item, CACHE, "cache_reads item")) {
                BigDecimal write = share(item, "write_share", false);
                caches.add(new Scenario.CacheShare(text(item, "feature", true), share(item, "share", true),
                        write == null ? BigDecimal.ZERO : write, item.line()));
            }
        }
        List<Scenario.TokenShape> shapes = new ArrayList<>();
        LocatedYaml shapeNode = root.get("token_shape");
        if (shapeNode != null) {
            List<LocatedYaml> items = shapeNode.isMapping() ? List.of(shapeNode) : list(root, "token_shape");
            for (LocatedYaml item : items) {
                if (!item.isMapping()) {
                    problem(item, "token_shape: each item is a mapping of class to percent, e.g. {all: 20}");
                    continue;
                }
                String feature = text(item, "feature", false);
                shapes.add(new Scenario.TokenShape(feature, factors(item, true), item.line()));
            }
        }
        return new Scenario(name == null ? defaultName : name, book, factors, substitutions, batch, caches, shapes);
    }

    /** input, cache_read, cache_write, output, reasoning or all: a percent change (-100 or more). */
    private TokenFactors factors(LocatedYaml node, boolean featureAllowed) {
        if (!node.isMapping()) {
            problem(node, "token_shape is a mapping of class to percent, e.g. {output: -10}");
            return TokenFactors.NONE;
        }
        Map<TokenClass, BigDecimal> pct = new EnumMap<>(TokenClass.class);
        BigDecimal all = null;
        for (Map.Entry<String, LocatedYaml> e : node.fields().entrySet()) {
            String key = e.getKey();
            if (featureAllowed && key.equals("feature")) {
                continue;
            }
            TokenClass c = TokenClass.ofKey(key);
            if (c == null && !key.equals(TokenClass.ALL)) {
                problem(e.getValue(), "token_shape: unknown class '" + key
                        + "', expected input, cache_read, cache_write, output, reasoning or all");
                continue;
            }
            BigDecimal value = decimal(node, key, true);
            if (value == null) {
                continue;
            }
            if (value.compareTo(BigDecimal.valueOf(-100)) < 0) {
                problem(e.getValue(), "token_shape " + key + ": a percent change of -100 or more, was " + value.toPlainString());
                continue;
            }
            if (c == null) {
                all = value;
            } else {
                pct.put(c, value);
            }
        }
        if (all != null) {
            // 'all' sets every class not named on its own.
            for (TokenClass c : TokenClass.values()) {
                pct.putIfAbsent(c, all);
            }
        }
        if (pct.isEmpty()) {
            problem(node, "token_shape: no class given");
        }
        return new TokenFactors(pct);
    }

    private boolean keys(LocatedYaml node, Set<String> allowed, String what) {
        if (!node.isMapping()) {
            problem(node, what + " must be a mapping");
            return false;
        }
        for (Map.Entry<String, LocatedYaml> e : node.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                problemAt(node.keyLines().get(e.getKey()), what + ": unknown key '" + e.getKey() + "', expected one of "
                        + allowed.stream().sorted().toList());
            }
        }
        return true;
    }

    private List<LocatedYaml> list(LocatedYaml parent, String key) {
        LocatedYaml node = parent.get(key);
        if (node == null || (!node.isMapping() && !node.isSequence() && !node.isScalar())) {
            return List.of();
        }
        if (!node.isSequence()) {
            problem(node, key + " must be a list");
            return List.of();
        }
        return node.items();
    }

    private Set<String> names(LocatedYaml parent, String key) {
        Set<String> names = new LinkedHashSet<>();
        LocatedYaml node = parent.get(key);
        if (node == null) {
            return names;
        }
        if (!node.isSequence()) {
            problem(node, key + " must be a list of names");
            return names;
        }
        for (LocatedYaml item : node.items()) {
            if (!item.isScalar() || item.scalar().isBlank()) {
                problem(item, key + ": each item is a name");
            } else {
                names.add(item.scalar().trim());
            }
        }
        return names;
    }

    private String text(LocatedYaml parent, String key, boolean required) {
        LocatedYaml node = parent.get(key);
        if (node == null || (!node.isScalar() && !node.isMapping() && !node.isSequence())) {
            if (required) {
                problem(node == null ? parent : node, "'" + key + "' missing");
            }
            return null;
        }
        if (!node.isScalar() || node.scalar().isBlank()) {
            problem(node, "'" + key + "' must be a non-empty text");
            return null;
        }
        return node.scalar().trim();
    }

    private BigDecimal decimal(LocatedYaml parent, String key, boolean required) {
        String text = text(parent, key, required);
        if (text == null) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
            if (text.toLowerCase(java.util.Locale.ROOT).contains("e")) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            problem(parent.get(key), "'" + key + "' must be a plain decimal such as 0.85 or -10, was '" + text + "'");
            return null;
        }
    }

    /** A decimal from 0 to 1. */
    private BigDecimal share(LocatedYaml parent, String key, boolean required) {
        BigDecimal value = decimal(parent, key, required);
        if (value != null && (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0)) {
            problem(parent.get(key), "'" + key + "' is a share from 0 to 1, was " + value.toPlainString());
            return null;
        }
        return value;
    }

    private void problem(LocatedYaml at, String message) {
        problemAt(at.line(), message);
    }

    private void problemAt(int line, String message) {
        problems.add(new Problem(line, problems.size(), "line " + line + ": " + message));
    }

    /** Problems are reported by line, those on one line in the order found. */
    private record Problem(int line, int order, String text) {
    }
}
