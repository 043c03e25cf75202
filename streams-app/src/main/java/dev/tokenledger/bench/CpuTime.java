package dev.tokenledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time, the benchmark's measure that a busy neighbour disturbs least: what this JVM used, split
 * by the kind of thread (the stream threads, their producers, the in-process broker, the bench's
 * own reader), and what a set of other processes (the peer's PostgreSQL) used. A figure per event
 * of these is what a capacity model needs: wall-clock throughput on a shared two-core machine moves
 * by a factor of two from run to run, CPU per event much less.
 */
public final class CpuTime {

    /** Linux reports /proc/PID/stat times in USER_HZ ticks, which is 100 per second on every architecture it runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One reading: the whole JVM, per thread group, and the processes whose command line named {@code marker}. */
    public record Sample(long jvmNanos, Map<String, Long> byThreadGroup, long othersNanos) {

        /** Microseconds per event between {@code earlier} and this reading, per group and in total. */
        public Map<String, Double> perEventSince(Sample earlier, long events) {
            Map<String, Double> out = new TreeMap<>();
            long threads = 0;
            for (var e : byThreadGroup.entrySet()) {
                long d = e.getValue() - earlier.byThreadGroup.getOrDefault(e.getKey(), 0L);
                threads += d;
                out.put(e.getKey(), micros(d, events));
            }
            long jvm = jvmNanos - earlier.jvmNanos;
            // What the JVM used beyond the threads named above (threads that ended, the VM's own).
            out.put("unattributed", micros(Math.max(0, jvm - threads), events));
            out.put("jvm_total", micros(jvm, events));
            if (othersNanos > 0 || earlier.othersNanos > 0) {
                out.put("postgres", micros(othersNanos - earlier.othersNanos, events));
                out.put("total", micros(jvm + othersNanos - earlier.othersNanos, events));
            } else {
                out.put("total", micros(jvm, events));
            }
            return out;
        }

        private static double micros(long nanos, long events) {
            return events <= 0 ? -1 : Math.round(nanos / 1000.0 / events * 10) / 10.0;
        }
    }

    private CpuTime() {
    }

    /** Reads the CPU used so far; {@code marker} (may be null) picks the other processes to count. */
    public static Sample sample(String marker) {
        return new Sample(jvmNanos(), byThreadGroup(), marker == null ? 0 : processesNanos(marker));
    }

    static long jvmNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    static Map<String, Long> byThreadGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = nativeThreadGroups();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                groups.merge(group(info.getThreadName()), cpu, Long::sum);
            }
        }
        return groups;
    }

    /**
     * The threads no Java API sees, from /proc/self/task: RocksDB's background flushes and
     * compactions, the garbage collector and the JIT compilers.
     */
    static Map<String, Long> nativeThreadGroups() {
        Map<String, Long> groups = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    String group = comm.startsWith("rocksdb") ? "rocksdb_background"
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc"
                            : comm.startsWith("C1 Compi") || comm.startsWith("C2 Compi") ? "jit" : null;
                    if (group != null) {
                        String[] f = statFields(t);
                        groups.merge(group, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK, Long::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (IOException e) {
            // Not Linux: these groups stay out of the breakdown.
        }
        return groups;
    }

    /**
     * The fields of a /proc/PID/stat or /proc/self/task/TID/stat file after the ")" that closes the
     * command name (which may hold spaces), so index 0 is field 3 (state): ppid is index 1, utime 11,
     * stime 12, cutime 13, cstime 14.
     */
    private static String[] statFields(Path procEntry) throws IOException {
        String stat = Files.readString(procEntry.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The kind of thread, from the names Kafka and Kafka Streams give their threads. */
    static String group(String name) {
        if (name.contains("StreamThread")) {
            return name.contains("producer") ? "stream_producer" : name.contains("consumer") ? "stream_consumer" : "stream_thread";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "bench_producer";
        }
        if (name.equals("main")) {
            return "bench_reader";
        }
        if (name.contains("kafka-request-handler") || name.contains("network-thread") || name.contains("raft")
                || name.contains("kafka-") || name.contains("broker") || name.contains("controller")
                || name.contains("Replica") || name.contains("LogCleaner") || name.contains("ExpirationReaper")) {
            return "broker";
        }
        if (name.startsWith("postgres-peer-")) {
            return "peer_worker";
        }
        return "other_threads";
    }

    /**
     * CPU used so far by the processes whose command line contains {@code marker} (a server started
     * with its data directory on the command line) and by their children, live or exited (an exited
     * child's time is in its parent's cutime and cstime once reaped).
     */
    static long processesNanos(String marker) {
        long self = ProcessHandle.current().pid();
        Map<Long, long[]> stats = new TreeMap<>(); // pid -> {ppid, own ticks, reaped children's ticks, is root}
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String[] f = statFields(p);
                    stats.put(Long.parseLong(name), new long[] {Long.parseLong(f[1]),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]),
                            cmdline.contains(marker) ? 1 : 0});
                } catch (IOException | RuntimeException gone) {
                    // The process ended between listing and reading: its time is in its parent's cutime.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        long ticks = 0;
        for (long[] s : stats.values()) {
            if (s[3] == 1) {
                ticks += s[1] + s[2];
            } else if (stats.containsKey(s[0]) && stats.get(s[0])[3] == 1) {
                ticks += s[1];
            }
        }
        return ticks * NANOS_PER_TICK;
    }
}
