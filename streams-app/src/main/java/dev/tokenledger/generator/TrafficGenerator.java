package dev.tokenledger.generator;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.generator.Catalog.UntaggedSource;
import dev.tokenledger.generator.FeatureProfile.SessionKind;
import dev.tokenledger.generator.FeatureProfile.TaskIds;
import dev.tokenledger.generator.Model.CacheStyle;
import dev.tokenledger.generator.Model.ReportedRates;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays the usage events of a fictional company's LLM gateway: ten features of six teams calling
 * OpenAI, Anthropic, Bedrock and Gemini models, with the token shapes, caching, reasoning, batch
 * and flex traffic, retries, failures, untagged keys, unknown models, late and duplicate events
 * that real gateways produce. See {@link GeneratorOptions} for the knobs.
 *
 * <p>Deterministic: the same options (seed included) give the same records in the same order.
 * Not thread-safe; one generator per producing thread. Returned events are shared with the
 * duplicate window: treat them as read-only.
 */
public final class TrafficGenerator {

    /** How many recent events a duplicate can be a re-publication of. */
    private static final int DUPLICATE_WINDOW = 1024;
    /** Conversations or agent runs of one feature that are in flight at the same time. */
    private static final int SESSION_SLOTS = 6;
    private static final int MAX_RETRY_DELAY_EVENTS = 8;
    private static final double SECOND_RETRY_PROB = 0.25;
    private static final double FINAL_ATTEMPT_FAILURE_PROB = 0.15;
    private static final double REPORTED_COST_PROB = 0.10;
    private static final double ERROR_WITHOUT_TOKENS_PROB = 0.4;
    private static final long LONG_CONTEXT_MIN = 200_001;
    private static final long LONG_CONTEXT_MAX = 600_000;
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private final GeneratorOptions options;
    private final PlantedChanges planted;
    private final SplittableRandom random;
    private final EventClock clock;
    private final IdSource requestIds;
    private final IdSource sessionIds;
    private final IdSource taskIds;
    private final CallDraft draft = new CallDraft();
    private final UsageEvent[] recent = new UsageEvent[DUPLICATE_WINDOW];
    private final List<PendingRetry> pendingRetries = new ArrayList<>();
    private final Session[][] sessions;
    /** The session the call being drafted belongs to, if any. */
    private Session activeSession;
    private MalformedRecords malformedRecords;
    private long emitted;
    private long recentCount;
    private int malformedEmitted;

    public TrafficGenerator(GeneratorOptions options) {
        this(options, PlantedChanges.none());
    }

    /** With {@code planted} changes in the traffic (see {@link PlantedChanges}). */
    public TrafficGenerator(GeneratorOptions options, PlantedChanges planted) {
        this.options = options;
        this.planted = planted;
        this.random = new SplittableRandom(options.seed());
        this.clock = new EventClock(options);
        this.requestIds = new IdSource(options.seed(), 1);
        this.sessionIds = new IdSource(options.seed(), 2);
        this.taskIds = new IdSource(options.seed(), 3);
        this.sessions = new Session[Catalog.FEATURES.size()][SESSION_SLOTS];
    }

    public GeneratorOptions options() {
        return options;
    }

    /** The next usage event: a new request, a retry of an earlier one, or a re-published duplicate. */
    public UsageEvent next() {
        UsageEvent event;
        if (recentCount > 0 && random.nextDouble() < options.duplicateRate()) {
            event = duplicateOfRecent();
        } else {
            PendingRetry due = takeDueRetry();
            event = due != null ? retry(due) : newRequest();
            recent[(int) (recentCount++ % DUPLICATE_WINDOW)] = event;
        }
        emitted++;
        return event;
    }

    /**
     * The next record as a gateway would put it on a topic: usually an event, and at
     * {@link GeneratorOptions#malformedRate()} a bad raw JSON payload for the dead-letter path.
     */
    public GeneratedRecord nextRecord() {
        if (random.nextDouble() < options.malformedRate()) {
            int index = malformedEmitted++;
            return new GeneratedRecord.Malformed(MalformedRecords.kindOf(index), malformedRecord(index));
        }
        return new GeneratedRecord.Event(next());
    }

    /**
     * A bad payload for the JSON input topic, deterministic in the seed and {@code index}; the
     * kinds cycle through {@link MalformedKind} as the index grows. Does not disturb {@link #next()}.
     */
    public byte[] malformedRecord(int index) {
        if (malformedRecords == null) {
            malformedRecords = new MalformedRecords(options);
        }
        return malformedRecords.record(index);
    }

    /** Events returned by {@link #next()} so far, duplicates included. */
    public long emitted() {
        return emitted;
    }

    public long malformedEmitted() {
        return malformedEmitted;
    }

    private UsageEvent duplicateOfRecent() {
        long window = Math.min(recentCount, DUPLICATE_WINDOW);
        UsageEvent original = recent[(int) ((recentCount - 1 - random.nextLong(window)) % DUPLICATE_WINDOW)];
        return UsageEvent.newBuilder(original).build();
    }

    private UsageEvent newRequest() {
        CallDraft call = draft;
        call.reset();
        call.requestId = requestIds.next("req_");
        call.gateway = options.gateway();
        activeSession = null;
        FeatureProfile profile;
        if (random.nextDouble() < options.untaggedRate()) {
            profile = untaggedCaller(call);
        } else {
            profile = taggedCaller(call);
        }
        if (random.nextDouble() < options.unknownModelRate()) {
            call.model = Catalog.UNKNOWN_MODEL;
        }
        chooseTier(call, profile);
        sampleTokens(call, profile);
        if (profile.webSearchProb > 0 && random.nextDouble() < profile.webSearchProb) {
            call.webSearchCalls = 1 + random.nextInt(3);
        }

        double outcome = random.nextDouble();
        boolean retried = !call.batch && outcome < options.retryRate();
        Prompt prompt = null;
        if (retried) {
            prompt = new Prompt(call.inputTokens, call.cacheReadTokens, call.cacheCreationTokens,
                    call.cacheCreation1hTokens);
            fail(call, random.nextDouble() < 0.6 ? "error" : "timeout");
        } else if (outcome < options.retryRate() + options.errorRate()) {
            double kind = random.nextDouble();
            fail(call, kind < 0.6 ? "error" : kind < 0.8 ? "timeout" : "cancelled");
        } else {
            succeed(call);
        }
        call.timestamp = clock.next(random);
        if (!planted.isEmpty()) {
            if (!retried && planted.retryStorm(call)) {
                retried = true;
                prompt = new Prompt(call.inputTokens, call.cacheReadTokens, call.cacheCreationTokens, call.cacheCreation1hTokens);
                call.providerReportedCost = null;
                fail(call, "error");
            }
            planted.reshape(call);
        }
        UsageEvent event = call.toEvent();
        if (retried) {
            schedule(event, prompt, profile, call.model, 2);
        }
        return event;
    }

    private FeatureProfile untaggedCaller(CallDraft call) {
        UntaggedSource source = Catalog.UNTAGGED_SOURCES.pick(random);
        FeatureProfile profile = source.shapeOf();
        call.apiKeyId = source.apiKeyId();
        call.environment = source.environment();
        call.model = profile.models.pick(random);
        return profile;
    }

    private FeatureProfile taggedCaller(CallDraft call) {
        int index = Catalog.FEATURE_MIX.pickIndex(random);
        FeatureProfile profile = Catalog.FEATURE_MIX.get(index);
        call.team = profile.team;
        call.feature = profile.feature;
        call.apiKeyId = profile.apiKeyId;
        call.workload = profile.workload;
        call.attributes = profile.attributes;
        if (profile.sessionKind == SessionKind.NONE) {
            call.environment = profile.environments.pick(random);
            call.customerId = profile.customerFacing ? Catalog.customer(random) : null;
            call.model = profile.models.pick(random);
            if (profile.taskIds == TaskIds.PER_CALL) {
                call.taskId = taskIds.next(profile.taskPrefix);
            }
            return profile;
        }
        Session session = sessionFor(index, profile);
        activeSession = session;
        call.environment = session.environment;
        call.customerId = session.customerId;
        call.model = session.model;
        call.conversationId = session.conversationId;
        call.agentRunId = session.agentRunId;
        call.taskId = session.taskId;
        return profile;
    }

    /** A step of one of the feature's in-flight sessions, starting a new one where a slot is free or finished. */
    private Session sessionFor(int featureIndex, FeatureProfile profile) {
        Session[] slots = sessions[featureIndex];
        int slot = random.nextInt(SESSION_SLOTS);
        Session session = slots[slot];
        if (session == null || session.remainingCalls == 0) {
            session = new Session();
            session.environment = profile.environments.pick(random);
            session.customerId = profile.customerFacing ? Catalog.customer(random) : null;
            session.model = profile.models.pick(random);
            session.conversationId = sessionIds.next("conv_");
            if (profile.sessionKind == SessionKind.AGENT_RUN) {
                session.agentRunId = sessionIds.next("run_");
            }
            if (profile.taskIds == TaskIds.PER_SESSION) {
                session.taskId = taskIds.next(profile.taskPrefix);
            }
            session.remainingCalls = profile.sessionMinCalls
                    + random.nextInt(profile.sessionMaxCalls - profile.sessionMinCalls + 1);
            slots[slot] = session;
        }
        session.remainingCalls--;
        return session;
    }

    private void chooseTier(CallDraft call, FeatureProfile profile) {
        if (profile.batchProb > 0 && random.nextDouble() < profile.batchProb) {
            call.batch = true;
            if ("online".equals(call.workload)) {
                call.workload = "batch";
            }
        } else if (call.model.flex() && profile.flexProb > 0 && random.nextDouble() < profile.flexProb) {
            call.serviceTier = "flex";
        } else if (call.model.priority() && profile.priorityProb > 0 && random.nextDouble() < profile.priorityProb) {
            call.serviceTier = "priority";
        }
    }

    private void sampleTokens(CallDraft call, FeatureProfile profile) {
        TokenShape shape = profile.shape;
        Model model = call.model;
        Session session = activeSession;
        long input;
        long cachedPrefix;
        if (session != null && session.contextTokens > 0) {
            cachedPrefix = session.contextTokens;
            input = cachedPrefix + logUniform(shape.growthMin(), shape.growthMax());
            if (input > model.maxInputTokens() * 8 / 10) {
                // Agents and chats compact their context before they hit the window.
                cachedPrefix = 0;
                input = logUniform(shape.inputMin(), shape.inputMax());
            }
        } else {
            cachedPrefix = 0;
            input = shape.longContextProb() > 0 && random.nextDouble() < shape.longContextProb()
                    ? LONG_CONTEXT_MIN + random.nextLong(LONG_CONTEXT_MAX - LONG_CONTEXT_MIN)
                    : logUniform(shape.inputMin(), shape.inputMax());
        }
        input = Math.min(input, model.maxInputTokens());
        if (session != null && model == session.model) {
            session.contextTokens = input;
        }
        call.inputTokens = input;
        sampleCache(call, shape, model, cachedPrefix > 0 ? cachedPrefix : input);

        long visible = logUniform(shape.outputMin(), shape.outputMax());
        if (model.reasoning()) {
            long reasoning = (long) (visible * uniform(shape.reasoningMin(), shape.reasoningMax()));
            call.reasoningTokens = reasoning;
            call.outputTokens = visible + reasoning;
        } else {
            call.outputTokens = visible;
        }
    }

    /** Cache reads come out of the reusable prefix; explicit writes out of what was not read. */
    private void sampleCache(CallDraft call, TokenShape shape, Model model, long reusablePrefix) {
        CacheStyle style = model.cacheStyle();
        if (style == CacheStyle.NONE) {
            return;
        }
        long input = call.inputTokens;
        if (shape.cacheHitProb() > 0 && random.nextDouble() < shape.cacheHitProb()) {
            long read = (long) (Math.min(reusablePrefix, input) * uniform(shape.cacheReadMin(), shape.cacheReadMax()));
            if (style == CacheStyle.AUTOMATIC_READS) {
                // Automatic caches only serve prompts of 1024+ tokens, in 128-token blocks.
                read = input < 1024 ? 0 : read / 128 * 128;
            }
            call.cacheReadTokens = read;
        }
        if (style == CacheStyle.EXPLICIT_WRITES && shape.cacheWriteProb() > 0
                && random.nextDouble() < shape.cacheWriteProb()) {
            long uncached = input - call.cacheReadTokens;
            long written = (long) (uncached * uniform(shape.cacheWriteMin(), shape.cacheWriteMax()));
            call.cacheCreationTokens = written;
            if (shape.oneHourShare() > 0 && random.nextDouble() < shape.oneHourShare()) {
                call.cacheCreation1hTokens = written;
            }
        }
    }

    private void succeed(CallDraft call) {
        call.status = "success";
        Model model = call.model;
        if (call.batch) {
            call.latencyMillis = null;
        } else {
            double generation = call.outputTokens * model.millisPerOutputToken() * uniform(0.8, 1.25);
            call.latencyMillis = model.ttftMillis() + call.inputTokens / 2_000 + (long) generation;
        }
        ReportedRates rates = model.reportedRates();
        if (rates != null && !"priority".equals(call.serviceTier) && random.nextDouble() < REPORTED_COST_PROB) {
            call.providerReportedCost = reportedCost(call, rates);
        }
    }

    /** A failed call: billed for what it consumed, which for a rejected request is nothing. */
    private void fail(CallDraft call, String status) {
        call.status = status;
        call.webSearchCalls = 0;
        if ("error".equals(status) && random.nextDouble() < ERROR_WITHOUT_TOKENS_PROB) {
            call.inputTokens = 0;
            call.cacheReadTokens = 0;
            call.cacheCreationTokens = 0;
            call.cacheCreation1hTokens = 0;
            call.outputTokens = 0;
            call.reasoningTokens = 0;
            call.latencyMillis = call.batch ? null : 40L + random.nextInt(400);
            return;
        }
        double produced = "error".equals(status) ? uniform(0.0, 0.3) : uniform(0.1, 0.6);
        call.outputTokens = (long) (call.outputTokens * produced);
        call.reasoningTokens = Math.min(call.outputTokens, (long) (call.reasoningTokens * produced));
        if (call.batch) {
            call.latencyMillis = null;
        } else if ("timeout".equals(status)) {
            call.latencyMillis = random.nextBoolean() ? 60_000L : 120_000L;
        } else {
            call.latencyMillis = call.model.ttftMillis()
                    + (long) (call.outputTokens * call.model.millisPerOutputToken());
        }
    }

    private static BigDecimal reportedCost(CallDraft call, ReportedRates rates) {
        boolean discounted = call.batch || "flex".equals(call.serviceTier);
        BigDecimal input = discounted ? rates.input().multiply(HALF) : rates.input();
        BigDecimal cached = discounted ? rates.cachedInput().multiply(HALF) : rates.cachedInput();
        BigDecimal output = discounted ? rates.output().multiply(HALF) : rates.output();
        return Money.times(call.inputTokens - call.cacheReadTokens, input)
                .plus(Money.times(call.cacheReadTokens, cached))
                .plus(Money.times(call.outputTokens, output))
                .toBigDecimal();
    }

    private void schedule(UsageEvent first, Prompt prompt, FeatureProfile profile, Model model, int attempt) {
        long dueAt = emitted + 1 + random.nextInt(MAX_RETRY_DELAY_EVENTS);
        pendingRetries.add(new PendingRetry(first, prompt, profile, model, attempt, dueAt));
    }

    private PendingRetry takeDueRetry() {
        for (int i = 0; i < pendingRetries.size(); i++) {
            if (pendingRetries.get(i).dueAt <= emitted) {
                return pendingRetries.remove(i);
            }
        }
        return null;
    }

    private UsageEvent retry(PendingRetry pending) {
        CallDraft call = draft;
        call.loadRetryOf(pending.first, pending.model);
        call.inputTokens = pending.prompt.inputTokens;
        call.cacheReadTokens = pending.prompt.cacheReadTokens;
        call.cacheCreationTokens = pending.prompt.cacheCreationTokens;
        call.cacheCreation1hTokens = pending.prompt.cacheCreation1hTokens;
        call.requestId = requestIds.next("req_");
        call.attempt = pending.attempt;
        TokenShape shape = pending.profile.shape;
        long visible = logUniform(shape.outputMin(), shape.outputMax());
        call.reasoningTokens = pending.model.reasoning()
                ? (long) (visible * uniform(shape.reasoningMin(), shape.reasoningMax())) : 0;
        call.outputTokens = visible + call.reasoningTokens;
        boolean lastAttempt = pending.attempt >= 3;
        double outcome = random.nextDouble();
        boolean retryAgain = !lastAttempt && outcome < SECOND_RETRY_PROB;
        if (retryAgain || (lastAttempt && outcome < FINAL_ATTEMPT_FAILURE_PROB)) {
            fail(call, "error");
        } else {
            succeed(call);
        }
        call.timestamp = clock.next(random);
        UsageEvent event = call.toEvent();
        if (retryAgain) {
            schedule(pending.first, pending.prompt, pending.profile, pending.model, pending.attempt + 1);
        }
        return event;
    }

    private long logUniform(long min, long max) {
        if (max <= min) {
            return min;
        }
        return (long) Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
    }

    private double uniform(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    /** One conversation or agent run in flight. */
    private static final class Session {
        String environment;
        String customerId;
        Model model;
        String conversationId;
        String agentRunId;
        String taskId;
        int remainingCalls;
        long contextTokens;
    }

    /** The input of a request as sent, kept for its retries even when the failed attempt reported none. */
    private record Prompt(long inputTokens, long cacheReadTokens, long cacheCreationTokens, long cacheCreation1hTokens) {
    }

    private record PendingRetry(UsageEvent first, Prompt prompt, FeatureProfile profile, Model model, int attempt,
                                long dueAt) {
    }
}
