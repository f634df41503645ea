using System.CommandLine;
using System.Runtime.InteropServices;
using Sluice.Cli.Commands;
using Sluice.Cli.Hosting;
using Sluice.Definitions;

namespace Sluice.Cli;

/// <summary>Gives a console app the whole Sluice command line in one line: <c>return await PipelineApp.RunAsync(args, MyPipeline.Create);</c></summary>
public static class PipelineApp
{
    /// <summary>Runs the command line for a pipeline defined by <paramref name="define"/>; a definition error becomes exit code 2 with every problem listed.</summary>
    public static Task<int> RunAsync(string[] args, Func<Pipeline> define, IServiceProvider? services = null) =>
        RunWithSignalsAsync(args, define, services);

    /// <summary>Runs the command line for an already built pipeline.</summary>
    public static Task<int> RunAsync(string[] args, Pipeline pipeline, IServiceProvider? services = null) =>
        RunWithSignalsAsync(args, () => pipeline, services);

    private static async Task<int> RunWithSignalsAsync(string[] args, Func<Pipeline> define, IServiceProvider? services)
    {
        // First, before the definition allocates: this is the process's entry, so the heap it prepares is the one the command uses.
        _ = StartupHeap.Prepare();
        using var cancel = new CancellationTokenSource();
        AppEnvironment env = AppEnvironment.FromProcess();

        // The first SIGINT or SIGTERM asks for a clean stop; a second one is left to the OS and ends the process at once.
        void OnSignal(PosixSignalContext signal)
        {
            if (cancel.IsCancellationRequested)
            {
                return;
            }

            signal.Cancel = true;
            env.Error.Write($"\n{signal.Signal} received: cancelling the run (no new step starts; running steps are cancelled). Repeat to stop at once.\n");
            cancel.Cancel();
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await RunAsync(args, define, services, env, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>Runs a command with an explicit environment: the seam for tests and embedding.</summary>
    internal static async Task<int> RunAsync(string[] args, Func<Pipeline> define, IServiceProvider? services, AppEnvironment env, CancellationToken cancellationToken)
    {
        var context = new CommandContext(env, define, services);
        RootCommand root = BuildCommandLine(context);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
            {
                env.Error.Write($"error: {error.Message}\n");
            }

            env.Error.Write("Run with --help for usage.\n");
            return ExitCodes.DefinitionError;
        }

        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = env.Out,
                Error = env.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineDefinitionException e)
        {
            context.Error.Write($"error: {e.Message}\n");
            return ExitCodes.DefinitionError;
        }
        catch (UsageException e)
        {
            context.Error.Write($"error: {e.Message}\n");
            return ExitCodes.DefinitionError;
        }
        catch (ProjectBusyException e)
        {
            context.Error.Write($"error: {e.Message}\n");
            return ExitCodes.Busy;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.Write("cancelled.\n");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The message names what failed; the stack is for bug reports, on request.
            string stack = env.Variables.ContainsKey("SLUICE_DEBUG") ? $"\n{e}" : " (set SLUICE_DEBUG=1 for the stack trace)";
            context.Error.Write($"error: Sluice could not complete the command ({e.GetType().Name}): {e.Message}{stack}\n");
            return ExitCodes.InfrastructureError;
        }
        finally
        {
            // The command's writers hold back a partial line while secrets are known: flush them into the real ones.
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await context.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static RootCommand BuildCommandLine(CommandContext context)
    {
        var projectDir = new Option<string?>("--project-dir", "-C")
        {
            Description = "The project folder (config/, logs/, .sluice/). Default: $SLUICE_PROJECT_DIR, else the current folder.",
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of text." };
        var root = new RootCommand("Sluice: run this pipeline as a dependable, observable, re-runnable system.");
        root.Options.Add(projectDir);
        root.Subcommands.Add(RunCommand.Create(context, projectDir));
        root.Subcommands.Add(PlanCommand.Create(context, projectDir, json));
        root.Subcommands.Add(GraphCommand.Create(context, json));
        root.Subcommands.Add(RunsCommand.Create(context, projectDir, json));
        root.Subcommands.Add(ShowCommand.Create(context, projectDir, json));
        root.Subcommands.Add(LogsCommand.Create(context, projectDir, json));
        root.Subcommands.Add(ArtifactsCommand.Create(context, projectDir, json));
        root.Subcommands.Add(GcCommand.Create(context, projectDir));
        root.Subcommands.Add(ConfigCommand.Create(context, projectDir, json));
        root.Subcommands.Add(AlertsCommand.Create(context, projectDir, json));
        return root;
    }
}
