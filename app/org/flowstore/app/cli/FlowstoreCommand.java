package org.flowstore.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flowstore}: the standalone node and the operator tools, one picocli command each.
 * Exit status: 0 success, 1 failure, 2 bad usage.
 */
@Command(name = "flowstore", mixinStandardHelpOptions = true, versionProvider = FlowstoreCommand.Version.class,
        description = "Distributed flow-rule store: run a node, a local cluster, the demo, or query a node's REST API.",
        subcommands = {NodeCommand.class, ClusterCommand.class, DemoCommand.class, ChaosCommand.class, BenchCommand.class,
            AddFlowsCommand.class,
            FlowsCommand.class, MastersCommand.class, NodesCommand.class})
public final class FlowstoreCommand {

    /** The logging configuration of the tools; {@code node} replaces it with the node's. */
    static final String CLI_LOGGING = "flowstore-cli-logback.xml";

    /**
     * Runs a command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", CLI_LOGGING);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the command line, with failures reported as one line (the cause, not a stack trace).
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new FlowstoreCommand());
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("flowstore " + failed.getCommandName() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return line;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FlowstoreCommand.class.getPackage().getImplementationVersion();
            return new String[] {"flowstore " + (v == null ? "(development build)" : v)};
        }
    }
}
