package unetq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code unetq generate ...}: emits hardware. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate RTL.",
        subcommands = {MacArrayCommand.class})
final class GenerateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose what to generate: mac-array");
    }
}
