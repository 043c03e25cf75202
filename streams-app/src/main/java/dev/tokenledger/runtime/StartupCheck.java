package dev.tokenledger.runtime;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.registry.RestSchemaRegistryClient;
import dev.tokenledger.registry.SchemaRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before {@code run} starts Streams: waits until the broker and a remote schema registry answer, saying
 * on stderr at every attempt what it is waiting for, and gives up after
 * {@code tokenledger.runtime.startup-timeout}. Kafka clients retry an unreachable broker silently
 * and forever; an operator should hear about a wrong address within seconds.
 */
public final class StartupCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PAUSE = Duration.ofSeconds(1);

    /** A dependency did not answer within the startup timeout. */
    public static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message);
        }
    }

    private interface Attempt {
        void run(Duration timeout) throws Exception;
    }

    private final long deadlineNanos;
    private final Duration timeout;

    private StartupCheck(Duration timeout) {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    public static void awaitReachable(TokenLedgerConfig config, SchemaRegistry registry)
            throws UnreachableException, InterruptedException {
        StartupCheck check = new StartupCheck(config.duration(TokenLedgerConfig.STARTUP_TIMEOUT));
        String bootstrap = config.get(TokenLedgerConfig.BOOTSTRAP_SERVERS);
        Properties admin = config.kafkaProperties();
        admin.keySet().retainAll(AdminClientConfig.configNames());
        check.await("Kafka broker at " + bootstrap, attemptTimeout -> {
            try (Admin client = Admin.create(admin)) {
                client.describeCluster(new DescribeClusterOptions().timeoutMs((int) attemptTimeout.toMillis()))
                        .clusterId().get();
            }
        });
        if (registry instanceof RestSchemaRegistryClient rest) {
            check.await("schema registry at " + rest.baseUrl(), rest::checkReachable);
        }
    }

    private void await(String what, Attempt attempt) throws UnreachableException, InterruptedException {
        for (int n = 1; ; n++) {
            try {
                attempt.run(Duration.ofMillis(Math.max(100, Math.min(ATTEMPT_TIMEOUT.toMillis(), left().toMillis()))));
                if (n > 1) {
                    LOG.info("{} answered", what);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String reason = reason(e);
                Duration left = left();
                if (left.isZero()) {
                    throw new UnreachableException(what + " did not answer within " + timeout + " ("
                            + TokenLedgerConfig.STARTUP_TIMEOUT + "); last error: " + reason);
                }
                LOG.warn("{} not reachable yet (attempt {}: {}); retrying for up to {} s more",
                        what, n, reason, (left.toMillis() + 999) / 1000);
                Thread.sleep(Math.min(PAUSE.toMillis(), left.toMillis()));
            }
        }
    }

    private Duration left() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
