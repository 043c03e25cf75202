package dev.tokenledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.metrics.PipelineMetrics;
import dev.tokenledger.price.PriceBook;
import dev.tokenledger.registry.SchemaRegistries;
import dev.tokenledger.runtime.TopicSetup;
import dev.tokenledger.topics.Topics;
import dev.tokenledger.topology.TokenLedgerTopology;
import dev.tokenledger.warehouse.SinkConnectorConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under deploy/kubernetes parses (multi-document YAML) and has the structure its kind
 * requires, and the manifests agree with the code: a KafkaTopic per contract topic with its partitions,
 * cleanup policy and retention, a KafkaConnector per sink with deploy/connect's settings, ACLs that
 * cover what the topology reads and writes, probes on HttpApi's health paths, and kustomizations that
 * name files that exist.
 *
 * <p>The JSON schemas of the Strimzi CRDs and of Kubernetes are not available offline here, so the rules
 * below encode the required fields and the enumerations of the API versions used (Strimzi
 * {@code kafka.strimzi.io/v1beta2}, {@code apps/v1}, {@code policy/v1}, {@code monitoring.coreos.com/v1});
 * a kind without rules fails the test. Where {@code kubectl} is installed, the overlays are also built
 * with {@code kubectl kustomize}.
 */
class ManifestStructureTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path K8S = REPO.resolve("deploy/kubernetes");
    static final YAMLMapper YAML = new YAMLMapper();
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    static final Set<String> STRIMZI_OPERATIONS = Set.of("Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All");

    /** Every document of every manifest (kustomizations and patches excepted), with its file. */
    static final List<Resource> resources = new ArrayList<>();
    /** Files that kustomizations use as patches: partial resources. */
    static final Set<Path> patchFiles = new HashSet<>();

    record Resource(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }

        String where() {
            return REPO.relativize(file) + " " + kind() + "/" + name();
        }
    }

    @BeforeAll
    static void readEveryManifest() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(K8S)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                JsonNode k = YAML.readTree(file.toFile());
                for (JsonNode patch : k.path("patches")) {
                    if (patch.has("path")) {
                        patchFiles.add(file.getParent().resolve(patch.get("path").asText()).normalize());
                    }
                }
            }
        }
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml") || patchFiles.contains(file)) {
                continue;
            }
            for (JsonNode doc : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                if (doc != null && !doc.isNull()) {
                    resources.add(new Resource(file, doc));
                }
            }
        }
    }

    static List<Resource> ofKind(String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    static Resource named(String kind, String name) {
        return ofKind(kind).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/kubernetes"));
    }

    static List<Resource> baseOfKind(String kind) {
        return ofKind(kind).stream().filter(r -> r.file().startsWith(K8S.resolve("base"))).toList();
    }

    @Test
    void shouldGiveEveryResourceItsKindsRequiredStructure() {
        assertThat(resources).hasSizeGreaterThan(30);
        for (Resource r : resources) {
            JsonNode d = r.doc();
            assertThat(d.path("apiVersion").asText()).as(r.where() + " apiVersion").isNotBlank();
            assertThat(r.kind()).as(r.file() + " kind").isNotBlank();
            assertThat(r.name()).as(r.where() + " metadata.name").matches(DNS_SUBDOMAIN);
            d.path("metadata").path("labels").fields().forEachRemaining(l -> assertThat(l.getValue().asText())
                    .as(r.where() + " label " + l.getKey()).matches("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]?"));
            switch (r.kind()) {
                case "KafkaTopic" -> kafkaTopic(r);
                case "KafkaUser" -> kafkaUser(r);
                case "KafkaConnect" -> kafkaConnect(r);
                case "KafkaConnector" -> kafkaConnector(r);
                case "Kafka" -> kafka(r);
                case "KafkaNodePool" -> kafkaNodePool(r);
                case "StatefulSet" -> statefulSet(r);
                case "Service" -> service(r);
                case "PodDisruptionBudget" -> podDisruptionBudget(r);
                case "ServiceMonitor" -> serviceMonitor(r);
                case "PrometheusRule" -> prometheusRule(r);
                case "ConfigMap" -> configMap(r);
                case "Secret" -> secret(r);
                case "Job" -> job(r);
                default -> fail(r.where() + ": no structural rules for kind " + r.kind() + "; add them here");
            }
        }
    }

    static void apiVersion(Resource r, String expected) {
        assertThat(r.doc().get("apiVersion").asText()).as(r.where() + " apiVersion").isEqualTo(expected);
    }

    static void strimziCluster(Resource r, Set<String> clusters) {
        apiVersion(r, "kafka.strimzi.io/v1beta2");
        assertThat(r.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .as(r.where() + " strimzi.io/cluster").isIn(clusters);
    }

    static Set<String> kafkaClusters() {
        Set<String> names = new HashSet<>(Set.of(KubernetesManifests.KAFKA_CLUSTER));
        ofKind("Kafka").forEach(k -> names.add(k.name()));
        return names;
    }

    static void positiveInt(Resource r, JsonNode node, String field) {
        assertThat(node.path(field).isInt() && node.path(field).asInt() >= 1).as(r.where() + " " + field + " a positive integer, is "
                + node.path(field)).isTrue();
    }

    static void kafkaTopic(Resource r) {
        strimziCluster(r, kafkaClusters());
        JsonNode spec = r.doc().get("spec");
        positiveInt(r, spec, "partitions");
        positiveInt(r, spec, "replicas");
        spec.path("config").fields().forEachRemaining(c -> assertThat(c.getValue().isValueNode()).as(r.where() + " " + c.getKey()).isTrue());
        assertThat(spec.path("config").path("cleanup.policy").asText("delete")).isIn("delete", "compact", "compact,delete");
    }

    static void kafkaUser(Resource r) {
        strimziCluster(r, kafkaClusters());
        JsonNode spec = r.doc().get("spec");
        assertThat(spec.path("authentication").path("type").asText()).as(r.where()).isIn("scram-sha-512", "tls", "tls-external");
        assertThat(spec.path("authorization").path("type").asText()).as(r.where()).isEqualTo("simple");
        assertThat(spec.path("authorization").path("acls")).as(r.where() + " acls").isNotEmpty();
        for (JsonNode acl : spec.path("authorization").path("acls")) {
            JsonNode resource = acl.get("resource");
            String type = resource.path("type").asText();
            assertThat(type).as(r.where() + " acl " + acl).isIn("topic", "group", "cluster", "transactionalId");
            if (!type.equals("cluster")) {
                assertThat(resource.path("name").asText()).as(r.where() + " acl " + acl).isNotBlank();
                assertThat(resource.path("patternType").asText("literal")).isIn("literal", "prefix");
            }
            assertThat(acl.path("operations")).as(r.where() + " acl " + acl).isNotEmpty();
            acl.path("operations").forEach(op -> assertThat(op.asText()).as(r.where()).isIn(STRIMZI_OPERATIONS));
        }
    }

    static void kafkaConnect(Resource r) {
        apiVersion(r, "kafka.strimzi.io/v1beta2");
        JsonNode spec = r.doc().get("spec");
        assertThat(spec.path("bootstrapServers").asText()).as(r.where()).isNotBlank();
        positiveInt(r, spec, "replicas");
        assertThat(r.doc().path("metadata").path("annotations").path("strimzi.io/use-connector-resources").asText())
                .as(r.where() + ": KafkaConnectors need the annotation").isEqualTo("true");
        JsonNode build = spec.get("build");
        assertThat(build.path("output").path("type").asText()).isIn("docker", "imagestream");
        assertThat(build.path("output").path("image").asText()).isNotBlank();
        assertThat(build.path("plugins")).isNotEmpty();
        for (JsonNode plugin : build.path("plugins")) {
            assertThat(plugin.path("name").asText()).isNotBlank();
            assertThat(plugin.path("artifacts")).isNotEmpty();
            for (JsonNode a : plugin.path("artifacts")) {
                String type = a.path("type").asText();
                assertThat(type).as(r.where() + " artifact " + a).isIn("jar", "tgz", "zip", "maven", "other");
                if (type.equals("maven")) {
                    assertThat(List.of(a.path("group").asText(), a.path("artifact").asText(), a.path("version").asText()))
                            .as(r.where() + " artifact " + a).doesNotContain("");
                } else {
                    assertThat(a.path("url").asText()).as(r.where() + " artifact " + a).startsWith("https://");
                }
            }
        }
        JsonNode template = spec.path("template");
        Set<String> volumes = names(template.path("pod").path("volumes"));
        template.path("connectContainer").path("volumeMounts").forEach(m -> assertThat(volumes).as(r.where()).contains(m.get("name").asText()));
    }

    static void kafkaConnector(Resource r) {
        Set<String> connects = new HashSet<>();
        ofKind("KafkaConnect").forEach(c -> connects.add(c.name()));
        strimziCluster(r, connects);
        JsonNode spec = r.doc().get("spec");
        assertThat(spec.path("class").asText()).as(r.where()).isNotBlank();
        positiveInt(r, spec, "tasksMax");
        spec.path("config").fields().forEachRemaining(c -> assertThat(c.getValue().isTextual()).as(r.where() + " " + c.getKey()).isTrue());
    }

    static void kafka(Resource r) {
        apiVersion(r, "kafka.strimzi.io/v1beta2");
        JsonNode kafka = r.doc().get("spec").get("kafka");
        assertThat(kafka.path("listeners")).isNotEmpty();
        for (JsonNode l : kafka.path("listeners")) {
            assertThat(l.path("name").asText()).matches("[a-z0-9]{1,11}");
            assertThat(l.path("port").asInt()).isBetween(9092, 65535);
            assertThat(l.path("type").asText()).isIn("internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip");
            assertThat(l.path("tls").isBoolean()).isTrue();
        }
        assertThat(r.doc().path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        assertThat(ofKind("KafkaNodePool").stream().filter(p -> p.doc().path("metadata").path("labels").path("strimzi.io/cluster")
                .asText().equals(r.name()))).as("a node pool for " + r.name()).isNotEmpty();
    }

    static void kafkaNodePool(Resource r) {
        strimziCluster(r, kafkaClusters());
        JsonNode spec = r.doc().get("spec");
        positiveInt(r, spec, "replicas");
        assertThat(spec.path("roles")).isNotEmpty();
        spec.path("roles").forEach(role -> assertThat(role.asText()).isIn("controller", "broker"));
        assertThat(spec.path("storage").path("type").asText()).isIn("jbod", "persistent-claim", "ephemeral");
    }

    static void statefulSet(Resource r) {
        apiVersion(r, "apps/v1");
        JsonNode spec = r.doc().get("spec");
        Resource service = named("Service", spec.path("serviceName").asText());
        assertThat(service.doc().path("spec").path("clusterIP").asText()).as(r.where() + ": its service is headless").isEqualTo("None");
        JsonNode template = spec.get("template");
        spec.path("selector").path("matchLabels").fields().forEachRemaining(l -> assertThat(template.path("metadata").path("labels")
                .path(l.getKey()).asText()).as(r.where() + " template label " + l.getKey()).isEqualTo(l.getValue().asText()));
        Set<String> volumes = names(template.path("spec").path("volumes"));
        volumes.addAll(names(spec.path("volumeClaimTemplates").findValues("metadata")));
        assertThat(template.path("spec").path("containers")).isNotEmpty();
        for (JsonNode c : template.path("spec").path("containers")) {
            assertThat(c.path("name").asText()).isNotBlank();
            assertThat(c.path("image").asText()).isNotBlank();
            c.path("volumeMounts").forEach(m -> assertThat(volumes).as(r.where() + " mount").contains(m.get("name").asText()));
            Set<String> ports = names(c.path("ports"));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode http = c.path(probe).path("httpGet");
                assertThat(ports).as(r.where() + " " + probe + " port").contains(http.path("port").asText());
            }
            // HttpApi's routes: readiness only while RUNNING, liveness until Streams has failed.
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
            List<String> args = new ArrayList<>();
            c.path("args").forEach(a -> args.add(a.asText()));
            Path configFile = Path.of(args.get(args.indexOf("--config") + 1));
            JsonNode configMount = null;
            for (JsonNode m : c.path("volumeMounts")) {
                if (Path.of(m.get("mountPath").asText()).equals(configFile.getParent())) {
                    configMount = m;
                }
            }
            assertThat(configMount).as(r.where() + ": a volume mounted where --config points").isNotNull();
            String volume = configMount.get("name").asText();
            JsonNode configMapVolume = null;
            for (JsonNode v : template.path("spec").path("volumes")) {
                if (v.path("name").asText().equals(volume)) {
                    configMapVolume = v.path("configMap");
                }
            }
            assertThat(configMapVolume.path("name").asText()).isEqualTo("tokenledger-config");
            assertThat(configFile.getFileName().toString()).isEqualTo(KubernetesManifests.CONFIG_FILE);
            assertThat(named("ConfigMap", "tokenledger-config").doc().path("data").has(KubernetesManifests.CONFIG_FILE)).isTrue();
            assertThat(c.path("resources").path("requests").path("memory").asText()).isNotBlank();
            assertThat(c.path("resources").path("limits").path("memory").asText()).isNotBlank();
        }
        for (JsonNode v : template.path("spec").path("volumes")) {
            if (v.has("configMap")) {
                named("ConfigMap", v.get("configMap").get("name").asText());
            }
        }
        assertThat(spec.path("volumeClaimTemplates")).as(r.where() + ": a volume per instance for RocksDB").isNotEmpty();
    }

    static void job(Resource r) {
        apiVersion(r, "batch/v1");
        JsonNode pod = r.doc().get("spec").get("template").get("spec");
        assertThat(pod.path("restartPolicy").asText()).as(r.where()).isIn("Never", "OnFailure");
        Set<String> volumes = names(pod.path("volumes"));
        for (JsonNode c : pod.path("containers")) {
            assertThat(c.path("image").asText()).isNotBlank();
            c.path("volumeMounts").forEach(m -> assertThat(volumes).as(r.where() + " mount").contains(m.get("name").asText()));
        }
        assertThat(pod.path("containers")).isNotEmpty();
    }

    static void service(Resource r) {
        apiVersion(r, "v1");
        assertThat(r.doc().path("spec").path("ports")).isNotEmpty();
        r.doc().path("spec").path("ports").forEach(p -> assertThat(p.path("port").isInt()).as(r.where()).isTrue());
        assertThat(r.doc().path("spec").path("selector").size()).as(r.where() + " selector").isPositive();
    }

    static void podDisruptionBudget(Resource r) {
        apiVersion(r, "policy/v1");
        JsonNode spec = r.doc().get("spec");
        assertThat(spec.has("minAvailable") ^ spec.has("maxUnavailable")).as(r.where() + ": exactly one of minAvailable, maxUnavailable").isTrue();
        assertThat(spec.path("selector").path("matchLabels").size()).isPositive();
    }

    static void serviceMonitor(Resource r) {
        apiVersion(r, "monitoring.coreos.com/v1");
        JsonNode spec = r.doc().get("spec");
        Set<String> ports = new HashSet<>();
        ofKind("Service").forEach(s -> ports.addAll(names(s.doc().path("spec").path("ports"))));
        assertThat(spec.path("endpoints")).isNotEmpty();
        for (JsonNode e : spec.path("endpoints")) {
            assertThat(ports).as(r.where() + " endpoint port").contains(e.path("port").asText());
            assertThat(e.path("path").asText()).isEqualTo("/metrics");
        }
        assertThat(spec.path("selector").path("matchLabels").size()).isPositive();
    }

    static void prometheusRule(Resource r) {
        apiVersion(r, "monitoring.coreos.com/v1");
        String guide;
        try {
            guide = Files.readString(REPO.resolve("docs/deployment.md"));
        } catch (IOException e) {
            throw new AssertionError("docs/deployment.md holds the runbook", e);
        }
        assertThat(r.doc().path("spec").path("groups")).isNotEmpty();
        for (JsonNode g : r.doc().path("spec").path("groups")) {
            assertThat(g.path("rules")).isNotEmpty();
            for (JsonNode rule : g.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(alert).isNotBlank();
                assertThat(rule.path("expr").asText()).isNotBlank();
                String runbook = rule.path("annotations").path("runbook_url").asText();
                assertThat(runbook).as(alert).endsWith("docs/deployment.md#" + alert.toLowerCase());
                assertThat(guide).as("runbook entry for " + alert).contains("### " + alert + "\n");
            }
        }
    }

    static void configMap(Resource r) {
        apiVersion(r, "v1");
        assertThat(r.doc().path("data").size()).isPositive();
        r.doc().path("data").forEach(v -> assertThat(v.isTextual()).isTrue());
    }

    static void secret(Resource r) {
        apiVersion(r, "v1");
        assertThat(r.file().getFileName().toString()).as(r.where() + ": Secrets are templates outside the kustomizations")
                .endsWith(".example.yaml");
        JsonNode data = r.doc().path("stringData");
        assertThat(data.size()).isPositive();
        // A template holds no credential: every password, token or auth is a placeholder.
        assertThat(data.toString()).contains("CHANGE_ME");
        Matcher secretish = Pattern.compile("(password|token|auth)\"?\\s*[:=]\\s*\"?([^\"\\\\,}\\s]+)").matcher(data.toString());
        while (secretish.find()) {
            assertThat(secretish.group(2)).as(r.where() + " " + secretish.group(1)).isEqualTo("CHANGE_ME");
        }
    }

    static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    static Set<String> names(java.util.Collection<JsonNode> nodes) {
        Set<String> names = new HashSet<>();
        nodes.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    @Test
    void shouldHaveAKafkaTopicPerContractTopicWithItsPartitionsCompactionAndRetention() {
        Topics topics = KubernetesManifestsTest.defaultTopics();
        Map<String, Resource> byTopic = new HashMap<>();
        baseOfKind("KafkaTopic").forEach(t -> byTopic.put(t.doc().path("spec").path("topicName").asText(t.name()), t));
        List<NewTopic> plan = TopicSetup.plan(topics, KubernetesManifests.PARTITIONS, (short) KubernetesManifests.REPLICAS);
        assertThat(byTopic.keySet()).containsExactlyInAnyOrderElementsOf(plan.stream().map(NewTopic::name).toList());
        Set<String> deadLetters = Set.of("llm.usage.dlq.v1", "llm.sink.dlq.v1");
        for (NewTopic expected : plan) {
            JsonNode spec = byTopic.get(expected.name()).doc().get("spec");
            JsonNode config = spec.get("config");
            String cleanup = expected.configs().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
            assertThat(spec.get("partitions").asInt()).as(expected.name()).isEqualTo(expected.numPartitions());
            assertThat(spec.get("replicas").asInt()).as(expected.name()).isEqualTo(3);
            assertThat(config.path(TopicConfig.CLEANUP_POLICY_CONFIG).asText()).as(expected.name()).isEqualTo(cleanup);
            expected.configs().forEach((k, v) -> assertThat(config.path(k).asText()).as(expected.name() + " " + k).isEqualTo(v));
            if (cleanup.equals("compact")) {
                assertThat(config.has(TopicConfig.RETENTION_MS_CONFIG)).as(expected.name()).isFalse();
            } else {
                long days = deadLetters.contains(expected.name()) ? 30 : 7;
                assertThat(config.path(TopicConfig.RETENTION_MS_CONFIG).asLong()).as(expected.name()).isEqualTo(TimeUnit.DAYS.toMillis(days));
            }
        }
        // The reference data, invoice lines and latest-state outputs are compacted with one partition; the usage inputs match.
        assertThat(byTopic.get("llm.pricebook.v1").doc().get("spec").get("partitions").asInt()).isEqualTo(1);
        assertThat(byTopic.get("llm.usage.v1").doc().get("spec").get("partitions").asInt())
                .isEqualTo(byTopic.get("llm.usage.json.v1").doc().get("spec").get("partitions").asInt());
    }

    @Test
    void shouldHaveAKafkaConnectorPerSinkWithTheSettingsOfDeployConnect() throws IOException {
        Map<String, Resource> connectors = new HashMap<>();
        baseOfKind("KafkaConnector").forEach(c -> connectors.put(c.name(), c));
        assertThat(connectors.keySet()).containsExactlyInAnyOrderElementsOf(SinkConnectorConfigs.ALL);
        for (String name : SinkConnectorConfigs.ALL) {
            JsonNode deployed = new ObjectMapper().readTree(REPO.resolve("deploy/connect/" + name + ".json").toFile()).get("config");
            Map<String, String> expected = new TreeMap<>();
            deployed.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            JsonNode spec = connectors.get(name).doc().get("spec");
            assertThat(spec.get("class").asText()).isEqualTo(expected.remove("connector.class"));
            assertThat(spec.get("tasksMax").asText()).isEqualTo(expected.remove("tasks.max"));
            Map<String, String> actual = new TreeMap<>();
            spec.get("config").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
            assertThat(actual).as(name).isEqualTo(expected);
        }
    }

    @Test
    void shouldBuildTheConnectPluginWithTheVersionsTheBuildUses() throws IOException {
        String pom = Files.readString(REPO.resolve("pom.xml"));
        String artifacts = named("KafkaConnect", KubernetesManifests.CONNECT_CLUSTER).doc().get("spec").get("build").toString();
        for (String property : List.of("debezium.version", "postgresql.version", "avro.version")) {
            Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)<").matcher(pom);
            assertThat(m.find()).as(property).isTrue();
            assertThat(artifacts).as(property).contains(m.group(1));
        }
        assertThat(artifacts).contains("debezium-connector-jdbc", "\"postgresql\"", "tokenledger-connectors", "tokenledger-schemas");
    }

    /** What a KafkaUser may do: (resource type, name or prefix*) → operations. */
    static Map<String, Set<String>> grants(String user) {
        Map<String, Set<String>> grants = new HashMap<>();
        for (JsonNode acl : named("KafkaUser", user).doc().get("spec").get("authorization").get("acls")) {
            JsonNode res = acl.get("resource");
            String key = res.get("type").asText() + ":" + res.path("name").asText()
                    + (res.path("patternType").asText().equals("prefix") ? "*" : "");
            acl.get("operations").forEach(op -> grants.computeIfAbsent(key, k -> new TreeSet<>()).add(op.asText()));
        }
        return grants;
    }

    @Test
    void shouldGrantTheApplicationWhatItsTopologyReadsAndWritesAndItsInternalResources() {
        TokenLedgerConfig config = TokenLedgerConfig.of(Map.of());
        TopologyDescription description = new TokenLedgerTopology(config, SchemaRegistries.fromUrl("mem://acl-test"),
                PriceBook.empty(), PipelineMetrics.inMemory()).build().describe();
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        List<TopologyDescription.Subtopology> subtopologies = new ArrayList<>(description.subtopologies());
        List<TopologyDescription.Node> nodes = new ArrayList<>();
        subtopologies.forEach(s -> nodes.addAll(s.nodes()));
        description.globalStores().forEach(g -> nodes.add(g.source()));
        for (TopologyDescription.Node node : nodes) {
            if (node instanceof TopologyDescription.Source source) {
                reads.addAll(source.topicSet());
            } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                writes.add(sink.topic());
            }
        }
        reads.removeIf(t -> t.endsWith("-repartition")); // internal: the prefix grant
        writes.removeIf(t -> t.endsWith("-repartition"));
        assertThat(reads).contains("llm.usage.v1", "llm.pricebook.v1", "llm.invoices.v1");
        assertThat(writes).contains("llm.usage.priced.v1", "llm.alerts.anomaly.v1");

        Map<String, Set<String>> app = grants("tokenledger");
        reads.forEach(t -> assertThat(app.get("topic:" + t)).as("Read on " + t).contains("Read", "Describe"));
        writes.forEach(t -> assertThat(app.get("topic:" + t)).as("Write on " + t).contains("Write", "Describe"));
        app.keySet().stream().filter(k -> k.startsWith("topic:llm.")).forEach(k -> assertThat(reads.contains(k.substring(6))
                || writes.contains(k.substring(6))).as(k + " is a topic the topology uses").isTrue());
        String applicationId = config.get(TokenLedgerConfig.APPLICATION_ID);
        assertThat(app.get("topic:" + applicationId + "-*")).as("internal topics").contains("Create", "Read", "Write", "Delete", "Describe");
        assertThat(app.get("transactionalId:" + applicationId + "-*")).as("exactly_once_v2 transactional ids").contains("Write", "Describe");
        assertThat(app.get("group:" + applicationId)).as("the consumer group").contains("Read");
        assertThat(app.keySet()).noneMatch(k -> k.startsWith("cluster:"));
    }

    @Test
    void shouldGrantConnectReadOnEverySinkedTopicAndItsDeadLetters() {
        Map<String, Set<String>> connect = grants("tokenledger-connect");
        for (String name : SinkConnectorConfigs.ALL) {
            Map<String, String> sink = SinkConnectorConfigs.load(name);
            for (String topic : sink.get("topics").split(",")) {
                assertThat(connect.get("topic:" + topic.strip())).as(name + " reads " + topic).contains("Read", "Describe");
            }
            assertThat(connect.get("topic:" + sink.get("errors.deadletterqueue.topic.name"))).as(name + " dead letters").contains("Write");
            assertThat(connect.get("group:connect-llm-*")).as(name + "'s group connect-" + name).contains("Read");
            assertThat("connect-" + name).startsWith("connect-llm-");
        }
        assertThat(grants("tokenledger-gateway")).containsOnlyKeys("topic:llm.usage.v1", "topic:llm.usage.json.v1");
        assertThat(grants("tokenledger-budget-status").get("topic:llm.budget-status.v1")).containsExactly("Describe", "Read");
    }

    @Test
    void shouldNameOnlyFilesThatExistInTheKustomizations() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(K8S)) {
            kustomizations = walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(kustomizations.stream().map(p -> REPO.relativize(p).toString())).contains("deploy/kubernetes/base/kustomization.yaml",
                "deploy/kubernetes/overlays/small/kustomization.yaml", "deploy/kubernetes/overlays/production/kustomization.yaml",
                "deploy/kubernetes/components/mtls/kustomization.yaml");
        Set<Path> listed = new HashSet<>();
        for (Path k : kustomizations) {
            JsonNode doc = YAML.readTree(k.toFile());
            assertThat(doc.path("kind").asText()).as(k.toString()).isIn("Kustomization", "Component");
            List<String> paths = new ArrayList<>();
            doc.path("resources").forEach(n -> paths.add(n.asText()));
            doc.path("components").forEach(n -> paths.add(n.asText()));
            doc.path("patches").forEach(n -> {
                if (n.has("path")) {
                    paths.add(n.get("path").asText());
                }
            });
            for (String p : paths) {
                Path target = k.getParent().resolve(p).normalize();
                assertThat(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")))
                        .as(k + " names " + p).isTrue();
                listed.add(target);
            }
        }
        // Every manifest of base is in its kustomization (a forgotten file would never be applied).
        try (Stream<Path> base = Files.list(K8S.resolve("base"))) {
            base.filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .forEach(p -> assertThat(listed).as(p + " listed in base/kustomization.yaml").contains(p));
        }
    }

    @Test
    void shouldBuildEveryOverlayWithKubectlKustomizeWhereKubectlIsInstalled() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        for (String overlay : List.of("overlays/small", "overlays/production")) {
            Process p = new ProcessBuilder("kubectl", "kustomize", K8S.resolve(overlay).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(overlay + ": " + out).isZero();
            List<JsonNode> docs = YAML.readValues(YAML.createParser(out), JsonNode.class).readAll();
            Map<String, Integer> kinds = new TreeMap<>();
            docs.forEach(d -> kinds.merge(d.path("kind").asText(), 1, Integer::sum));
            assertThat(kinds).as(overlay).containsEntry("KafkaTopic", 19).containsEntry("KafkaConnector", SinkConnectorConfigs.ALL.size())
                    .containsEntry("StatefulSet", 1).containsKeys("KafkaUser", "KafkaConnect", "PrometheusRule", "ServiceMonitor");
            docs.forEach(d -> assertThat(d.path("metadata").path("namespace").asText()).as(overlay).isEqualTo("tokenledger"));
            if (overlay.endsWith("production")) {
                JsonNode sts = docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
                assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
                assertThat(sts.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText()).isEqualTo("3Ti");
                assertThat(sts.at("/spec/template/spec/containers/0/env").toString()).contains("KAFKA_NUM_STREAM_THREADS", "KAFKA_SASL_JAAS_CONFIG");
                Map<String, Integer> partitions = new HashMap<>();
                docs.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                        .forEach(d -> partitions.put(d.at("/spec/topicName").asText(), d.at("/spec/partitions").asInt()));
                assertThat(partitions).containsEntry("llm.usage.v1", 12).containsEntry("llm.usage.json.v1", 12)
                        .containsEntry("llm.usage.priced.v1", 6).containsEntry("llm.pricebook.v1", 1);
            }
        }
    }

    @Test
    void shouldSwitchEveryPrincipalToMutualTlsWithTheComponent(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        Files.writeString(dir.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources: [" + dir.relativize(K8S.resolve("overlays/small")) + "]\n"
                + "components: [" + dir.relativize(K8S.resolve("components/mtls")) + "]\n");
        Process p = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor=LoadRestrictionsNone", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<JsonNode> docs = YAML.readValues(YAML.createParser(out), JsonNode.class).readAll();
        List<JsonNode> users = docs.stream().filter(d -> d.path("kind").asText().equals("KafkaUser")).toList();
        assertThat(users).hasSize(ofKind("KafkaUser").size());
        users.forEach(u -> assertThat(u.at("/spec/authentication/type").asText()).as(u.at("/metadata/name").asText()).isEqualTo("tls"));
        JsonNode connect = docs.stream().filter(d -> d.path("kind").asText().equals("KafkaConnect")).findFirst().orElseThrow();
        assertThat(connect.at("/spec/authentication/type").asText()).isEqualTo("tls");
        assertThat(connect.at("/spec/authentication").has("passwordSecret")).isFalse();
        String env = docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0/env").toString();
        assertThat(env).contains("KAFKA_SSL_KEYSTORE_LOCATION", "\"SSL\"").doesNotContain("KAFKA_SASL_JAAS_CONFIG");
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
