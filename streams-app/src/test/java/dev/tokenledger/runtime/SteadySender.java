package dev.tokenledger.runtime;

import dev.tokenledger.demo.UsageProducer;
import dev.tokenledger.validate.UsageEventJson;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends a list of usage events at a steady rate from a background thread, as a gateway would, so
 * that the application is mid-stream whenever a test kills it.
 */
final class SteadySender implements AutoCloseable {

    private final UsageProducer producer;
    private final List<KnownTraffic.Send> sends;
    private final int perSecond;
    private final Thread thread;
    private volatile int sent;
    private volatile Throwable failure;
    private volatile boolean stop;

    SteadySender(UsageProducer producer, List<KnownTraffic.Send> sends, int perSecond) {
        this.producer = producer;
        this.sends = sends;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "steady-sender");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            long startNanos = System.nanoTime();
            int i = 0;
            while (i < sends.size() && !stop) {
                long due = Math.min(sends.size(), (System.nanoTime() - startNanos) * perSecond / TimeUnit.SECONDS.toNanos(1));
                for (; i < due; i++) {
                    KnownTraffic.Send s = sends.get(i);
                    if (s.rawJson() != null) {
                        producer.sendJson(null, s.rawJson());
                    } else if (s.asJson()) {
                        producer.sendJson(null, UsageEventJson.toBytes(s.event()));
                    } else {
                        producer.sendAvro(s.event());
                    }
                }
                sent = i;
                Thread.sleep(10);
            }
            producer.flush();
            sent = i;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    int sent() {
        return sent;
    }

    /** True once every record was handed to the producer and flushed; rethrows a send failure. */
    boolean finished() {
        if (failure != null) {
            throw new IllegalStateException("sending usage events failed", failure);
        }
        return !thread.isAlive() && sent == sends.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
