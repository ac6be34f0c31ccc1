package unetq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import unetq.sim.Tools;

/** {@code unetq tools}: which EDA tools are installed, and their versions. */
@Command(name = "tools", mixinStandardHelpOptions = true, description = "Report the external tools and their versions.")
final class ToolsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(Tools.report());
        spec.commandLine().getOut().flush();
    }
}
