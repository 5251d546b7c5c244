package org.ewarn.cli;

import java.io.PrintWriter;
import org.ewarn.run.ExitCode;
import org.ewarn.run.RunSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ewarn} tool; each subcommand is one stage of the pipeline. */
@Command(
    name = "ewarn",
    mixinStandardHelpOptions = true,
    versionProvider = Ewarn.Version.class,
    description = {
      "Atrocity early-warning analytics: ingest conflict data, model country risk,",
      "back-test warnings against past atrocity cases and render the annual report",
      "appendices.",
      "",
      "Every command prints one JSON summary as its last stdout line; logs go to stderr.",
      "Exit codes: 0 ok, 1 failure, 2 usage, configuration or input error,",
      "3 data-quality gate failed, 4 another run holds the lock."
    },
    subcommands = {
      IngestCommand.class, PanelCommand.class, ForecastCommand.class, BacktestCommand.class,
      ScoreForecastsCommand.class, ExportCommand.class, RenderCommand.class, NightlyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Ewarn {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cli = commandLine();
    return cli.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Ewarn());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("ewarn: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          String command = ex.getCommandLine().getCommandName();
          ex.getCommandLine().getOut().println(
              RunSummary.failed(command, null, ExitCode.USAGE_OR_CONFIG, ex.getMessage()).toJsonLine());
          ex.getCommandLine().getOut().flush();
          return ExitCode.USAGE_OR_CONFIG.code;
        });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Ewarn.class.getPackage().getImplementationVersion();
      return new String[] {"ewarn " + (v == null ? "development build" : v)};
    }
  }
}
