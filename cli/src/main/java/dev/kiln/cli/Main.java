package dev.kiln.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command: one subcommand per task (run, compile, ...). */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = KilnVersion.class,
    description = "An OpenFn-compatible workflow worker for the JVM.",
    subcommands = {CommandLine.HelpCommand.class, RunCommand.class, CompileCommand.class, WorkerCommand.class,
        DevCommand.class, SubmitCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
