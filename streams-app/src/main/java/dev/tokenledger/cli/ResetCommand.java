package dev.tokenledger.cli;

import dev.tokenledger.config.TokenLedgerConfig;
import dev.tokenledger.runtime.ApplicationReset;
import dev.tokenledger.runtime.ClientProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenledger reset}: start the application over (docs/operations.md, Reset). */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Reset the Streams application: delete its internal topics (<application.id>-*-changelog,",
                "-repartition) and its consumer group's offsets (inputs are re-read from the earliest offset),",
                "and this host's state directory. Stop every instance first; run it on every host for the state.",
                "Exit codes: 0 done (or dry run), 1 instances still running or Kafka failed, 2 usage error (no --yes)."})
public final class ResetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".tokenledger/streams",
            description = "The state directory run used (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--dry-run", description = "List what would be deleted; change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Really delete: a reset cannot be undone.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        if (dryRun && yes) {
            throw new ParameterException(spec.commandLine(), "--dry-run and --yes exclude each other");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TokenLedgerConfig config = configOptions.resolve();
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            ApplicationReset plan = ApplicationReset.plan(admin, config.get(TokenLedgerConfig.APPLICATION_ID), stateDir);
            print(out, plan);
            if (plan.members() > 0) {
                err.printf("error: consumer group %s has %d members: stop every instance first (a stopped instance stays a member"
                        + " until session.timeout.ms has passed)%n", plan.applicationId(), plan.members());
                return 1;
            }
            if (dryRun || plan.nothingToDo()) {
                out.println(plan.nothingToDo() ? "nothing to reset" : "dry run: nothing deleted");
                return 0;
            }
            if (!yes) {
                err.println("error: nothing deleted; give --yes to reset (or --dry-run to only list)");
                return 2;
            }
            plan.execute(admin);
            out.println("reset done; delete the state directory on every other host that ran an instance, then start the instances");
            return 0;
        }
    }

    private static void print(PrintWriter out, ApplicationReset plan) {
        out.printf("application %s%n", plan.applicationId());
        out.printf("internal topics to delete: %d%n", plan.internalTopics().size());
        plan.internalTopics().forEach(t -> out.println("  " + t));
        out.printf("committed offsets to delete (consumer group %s): %d%n", plan.applicationId(), plan.offsets().size());
        plan.offsets().forEach((tp, offset) -> out.printf("  %s at %d%n", tp, offset));
        out.printf("local state directory to delete: %s%n", plan.stateDirExists() ? plan.stateDir() : "none (" + plan.stateDir() + " does not exist)");
        out.flush();
    }
}
