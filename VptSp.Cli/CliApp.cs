using System.CommandLine;
using VptSp.Cli.Commands;

namespace VptSp.Cli;

/// <summary>The `vptsp` command tree. Every error path prints one line and exits non-zero.</summary>
public static class CliApp
{
    public static RootCommand Build(TextWriter output)
    {
        var root = new RootCommand("VptSp — parameter-efficient deep metric learning (VPTSP-G) on TorchSharp");
        // One line per command; each lives in Commands/<Name>Command.cs.
        root.Subcommands.Add(InfoCommand.Create(output));
        root.Subcommands.Add(MetricsCommand.Create(output));
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
            return 2;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is CliException or ArgumentException or IOException or InvalidOperationException
                                       or UnauthorizedAccessException or FormatException)
        {
            await error.WriteLineAsync($"vptsp: {ex.Message}");
            return 1;
        }
    }
}

/// <summary>An error the CLI reports as one line with a non-zero exit.</summary>
public sealed class CliException(string message) : Exception(message);
