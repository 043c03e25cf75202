package dev.tokenledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code tokenledger} command line: one subcommand per thing a user does. */
@Command(name = "tokenledger", mixinStandardHelpOptions = true, version = "tokenledger 0.1.0",
        description = "LLM FinOps pipeline on Kafka Streams: price, attribute, aggregate, govern.",
        subcommands = {PriceCommand.class, GenerateCommand.class, LoadCommand.class, ReportCommand.class, DemoCommand.class, RunCommand.class, BenchCommand.class,
                ConfigCommand.class, ResetCommand.class, IngestCommand.class,
                ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class TokenLedger implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TokenLedger()).execute(args));
    }
}
