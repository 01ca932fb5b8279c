using System.CommandLine;
using VptSp.Cli.Commands;

namespace VptSp.Cli;

/// <summary>The `vptsp` command tree. Every error path prints one line and exits non-zero (see <see cref="CliErrors"/>).</summary>
public static class CliApp
{
    /// <summary>The global option that adds the stack trace after the error line.</summary>
    public const string VerboseOption = "--verbose";

    public static RootCommand Build(TextWriter output)
    {
        var root = new RootCommand("VptSp — parameter-efficient deep metric learning (VPTSP-G) on TorchSharp");
        root.Options.Add(new Option<bool>(VerboseOption) { Description = "on failure, also print the stack trace", Recursive = true });
        // One line per command; each lives in Commands/<Name>Command.cs.
        root.Subcommands.Add(InfoCommand.Create(output));
        root.Subcommands.Add(DataCommand.Create(output));
        root.Subcommands.Add(MetricsCommand.Create(output));
        root.Subcommands.Add(TrainCommand.Create(output));
        root.Subcommands.Add(EvalCommand.Create(output));
        root.Subcommands.Add(EmbedCommand.Create(output));
        root.Subcommands.Add(DemoCommand.Create(output));
        root.Subcommands.Add(ExportCommand.Create(output));
        root.Subcommands.Add(BackbonesCommand.Create(output));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(output);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"vptsp: {parse.Errors[0].Message}");
            return CliErrors.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync(CliErrors.Line(ex));
            if (parse.GetValue<bool>(VerboseOption)) await error.WriteLineAsync(ex.ToString());
            return CliErrors.ExitCode(ex);
        }
    }
}

/// <summary>An error the CLI reports as one line with a non-zero exit.</summary>
public sealed class CliException(string message) : Exception(message);
