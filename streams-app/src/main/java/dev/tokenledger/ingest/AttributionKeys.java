package dev.tokenledger.ingest;

import dev.tokenledger.avro.UsageEvent;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which field of a source is the team, the feature, the customer, ... Each adapter exposes the
 * attribution-relevant values of a record under flat names ({@code resource.service.name},
 * {@code metadata.user_api_key_team_alias}, {@code tag.feature}, {@code properties.team}); for each
 * target this holds, per format, the names to try in order: the first one present wins. Names match
 * exactly, then ignoring case (Helicone's property names keep the case the caller's header had).
 *
 * <p>The defaults are in {@link #defaults()}; a properties file ({@code --attribution-keys FILE})
 * replaces a format's list for a target with lines such as {@code litellm.feature=tag.feature,metadata.feature}.
 * The whole table is in docs/ingest.md.
 */
public final class AttributionKeys {

    /** The attribution fields of a usage event an adapter fills from source fields. */
    public enum Target {
        TEAM("team"), FEATURE("feature"), CUSTOMER("customer_id"), ENVIRONMENT("environment"), WORKLOAD("workload"),
        API_KEY("api_key_id");

        private final String eventField;

        Target(String eventField) {
            this.eventField = eventField;
        }

        /** The usage event's field, and the name a properties file uses ({@code otlp-json.customer_id=...}). */
        public String eventField() {
            return eventField;
        }
    }

    private static final List<String> ENVELOPE_TEAM = List.of("team", "attributes.team");

    private final Map<InputFormat, Map<Target, List<String>>> keys;

    private AttributionKeys(Map<InputFormat, Map<Target, List<String>>> keys) {
        this.keys = keys;
    }

    public static AttributionKeys defaults() {
        Map<InputFormat, Map<Target, List<String>>> k = new EnumMap<>(InputFormat.class);
        Map<Target, List<String>> otlp = new EnumMap<>(Target.class);
        otlp.put(Target.TEAM, List.of("tokenledger.team", "resource.tokenledger.team", "resource.service.namespace"));
        otlp.put(Target.FEATURE, List.of("tokenledger.feature", "resource.tokenledger.feature", "resource.service.name"));
        otlp.put(Target.CUSTOMER, List.of("tokenledger.customer_id", "enduser.id", "user.id"));
        otlp.put(Target.ENVIRONMENT, List.of("resource.deployment.environment.name", "resource.deployment.environment"));
        otlp.put(Target.WORKLOAD, List.of("tokenledger.workload", "resource.tokenledger.workload"));
        otlp.put(Target.API_KEY, List.of("tokenledger.api_key_id"));
        k.put(InputFormat.OTLP_JSON, otlp);
        k.put(InputFormat.OTLP_PROTO, otlp);
        Map<Target, List<String>> litellm = new EnumMap<>(Target.class);
        litellm.put(Target.TEAM, List.of("metadata.user_api_key_team_alias", "metadata.user_api_key_team_id", "team_id", "tag.team"));
        litellm.put(Target.FEATURE, List.of("tag.feature", "metadata.feature"));
        litellm.put(Target.CUSTOMER, List.of("end_user", "metadata.user_api_key_end_user_id", "tag.customer"));
        litellm.put(Target.ENVIRONMENT, List.of("tag.environment", "tag.env"));
        litellm.put(Target.WORKLOAD, List.of("tag.workload"));
        litellm.put(Target.API_KEY, List.of("metadata.user_api_key_alias", "metadata.user_api_key_hash", "api_key"));
        k.put(InputFormat.LITELLM, litellm);
        Map<Target, List<String>> helicone = new EnumMap<>(Target.class);
        helicone.put(Target.TEAM, List.of("properties.team"));
        helicone.put(Target.FEATURE, List.of("properties.feature"));
        helicone.put(Target.CUSTOMER, List.of("properties.customer", "user_id"));
        helicone.put(Target.ENVIRONMENT, List.of("properties.environment"));
        helicone.put(Target.WORKLOAD, List.of("properties.workload"));
        helicone.put(Target.API_KEY, List.of("properties.api_key"));
        k.put(InputFormat.HELICONE, helicone);
        Map<Target, List<String>> portkey = new EnumMap<>(Target.class);
        portkey.put(Target.TEAM, List.of("metadata.team"));
        portkey.put(Target.FEATURE, List.of("metadata.feature"));
        portkey.put(Target.CUSTOMER, List.of("metadata._user", "metadata.customer"));
        portkey.put(Target.ENVIRONMENT, List.of("metadata.environment"));
        portkey.put(Target.WORKLOAD, List.of("metadata.workload"));
        portkey.put(Target.API_KEY, List.of("virtual_key"));
        k.put(InputFormat.PORTKEY, portkey);
        Map<Target, List<String>> envelope = new EnumMap<>(Target.class);
        envelope.put(Target.TEAM, ENVELOPE_TEAM);
        envelope.put(Target.FEATURE, List.of("feature", "attributes.feature"));
        envelope.put(Target.CUSTOMER, List.of("customer_id", "attributes.customer_id"));
        envelope.put(Target.ENVIRONMENT, List.of("environment", "attributes.environment"));
        envelope.put(Target.WORKLOAD, List.of("workload", "attributes.workload"));
        envelope.put(Target.API_KEY, List.of("api_key_id", "attributes.api_key_id"));
        k.put(InputFormat.OPENAI_USAGE, envelope);
        k.put(InputFormat.ANTHROPIC_USAGE, envelope);
        k.put(InputFormat.BEDROCK_USAGE, envelope);
        return new AttributionKeys(k);
    }

    /** The defaults with the lists a properties file names replaced. */
    public static AttributionKeys load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return defaults().with(p);
        }
    }

    /** The lists named in {@code p} ({@code FORMAT.TARGET=name,name}) replaced; an unknown format or target is an error. */
    public AttributionKeys with(Properties p) {
        Map<InputFormat, Map<Target, List<String>>> k = new EnumMap<>(InputFormat.class);
        keys.forEach((f, m) -> k.put(f, new EnumMap<>(m)));
        for (String name : p.stringPropertyNames()) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                throw new IllegalArgumentException("attribution key '" + name + "' is not FORMAT.TARGET, e.g. litellm.team");
            }
            InputFormat format = InputFormat.named(name.substring(0, dot));
            Target target = target(name.substring(dot + 1));
            if (!k.containsKey(format)) {
                throw new IllegalArgumentException("format " + format + " carries its own attribution; it has no attribution keys");
            }
            List<String> sources = Arrays.stream(p.getProperty(name).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            k.get(format).put(target, sources);
        }
        return new AttributionKeys(k);
    }

    private static Target target(String name) {
        for (Target t : Target.values()) {
            if (t.eventField.equalsIgnoreCase(name) || t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attribution target '" + name + "'; one of team, feature, customer_id,"
                + " environment, workload, api_key_id");
    }

    /** The source names tried for {@code target} in {@code format}, in order; empty for formats that carry our own fields. */
    public List<String> sources(InputFormat format, Target target) {
        Map<Target, List<String>> m = keys.get(format);
        return m == null ? List.of() : m.getOrDefault(target, List.of());
    }

    /** Sets every target on {@code b} from the first of its source names present (non-blank) in {@code available}. */
    void apply(InputFormat format, Map<String, String> available, UsageEvent.Builder b) {
        for (Target t : Target.values()) {
            String value = lookup(available, sources(format, t));
            if (value == null) {
                continue;
            }
            switch (t) {
                case TEAM -> b.setTeam(value);
                case FEATURE -> b.setFeature(value);
                case CUSTOMER -> b.setCustomerId(value);
                case ENVIRONMENT -> b.setEnvironment(value);
                case WORKLOAD -> b.setWorkload(value);
                case API_KEY -> b.setApiKeyId(value);
            }
        }
    }

    private static String lookup(Map<String, String> available, List<String> names) {
        for (String name : names) {
            String v = available.get(name);
            if (v == null) {
                for (Map.Entry<String, String> e : available.entrySet()) {
                    if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                        v = e.getValue();
                        break;
                    }
                }
            }
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
