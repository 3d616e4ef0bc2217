using System.CommandLine;
using System.CommandLine.Parsing;
using Eliloader.Boot;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Xen.Logging;

namespace Eliloader.Commands;

/// <summary>What every administrator's command gets to work with.</summary>
/// <param name="Cleanup">Always undone when the command ends: a manual command leaves no scratch file or mount.</param>
/// <param name="Progress">A progress bar when stderr is a terminal, else nothing.</param>
public sealed record CommandContext(Settings Settings, RunCleanup Cleanup, IProgressDisplay Progress, Action<string> Log);

/// <summary>
/// A command for administrators, `eliloader NAME [options]`: its syntax (parsed with
/// System.CommandLine), its --help text, and what it does. The plumbing they share is
/// here: --help, usage errors (the reason, then the usage, exit status 2), the
/// configuration, syslog, the cleanup, and failures in the current callers' dialect
/// (exit status 1).
/// </summary>
public abstract class AdminCommand
{
    private const int Failure = 1;
    private const int UsageFailure = 2;

    // No @response files: an argument starting with @ is a value like any other.
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private readonly Option<bool> help = new("--help", "-h") { Recursive = true };

    protected AdminCommand(Command syntax)
    {
        Syntax = syntax;
        syntax.Options.Add(help);
    }

    /// <summary>The command's options, subcommands and the validators that turn bad combinations into usage errors.</summary>
    protected Command Syntax { get; }

    /// <summary>What --help prints, and what follows the reason for a usage error.</summary>
    public abstract string Usage { get; }

    /// <returns>The exit status.</returns>
    protected abstract int Run(ParseResult parsed, CommandContext context);

    /// <param name="args">The arguments after the command's name.</param>
    /// <returns>The exit status.</returns>
    public int Invoke(IReadOnlyList<string> args)
    {
        var parsed = Syntax.Parse(args, Parsing);
        if (parsed.GetValue(help))
        {
            Console.Out.Write(Usage + "\n");
            return 0;
        }
        if (parsed.Errors.Count > 0)
        {
            // Through UsageException for its one-line rendering of what the arguments held.
            Console.Error.Write($"{new CommandLine.UsageException(Problem(parsed)).Message}\n{Usage}\n");
            return UsageFailure;
        }

        var settings = SettingsFile.Load();
        LastResort.Use(settings);
        using var syslog = new Syslog(settings.SyslogSocket, "eliloader");
        var cleanup = new RunCleanup(syslog.Info);
        IProgressDisplay progress = Console.IsErrorRedirected ? NoProgress.Instance : new ProgressBar(Console.Error);
        try
        {
            return Run(parsed, new CommandContext(settings, cleanup, progress, syslog.Info));
        }
        catch (Exception e)
        {
            var error = ApiError.From(e);
            syslog.Error($"{Syntax.Name} failed: {error.Code} {string.Join(" ", error.Parameters)}" + (e is ApiError ? "" : $" ({e.GetType().Name})"));
            Console.Error.Write(ErrorDialectText.Format(ErrorDialect.RuntimeError, error));
            return Failure;
        }
        finally
        {
            cleanup.UndoAll();
        }
    }

    /// <summary>The first thing wrong with the command line, said as eliloader says it.</summary>
    private static string Problem(ParseResult parsed)
    {
        if (parsed.UnmatchedTokens.Count > 0)
            return $"{CommandPath(parsed.CommandResult)} does not know '{parsed.UnmatchedTokens[0]}'";
        // An option without its value explains the rest (a --vm that took no value is also "no --vm").
        var error = parsed.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult { Tokens.Count: 0 }) ?? parsed.Errors[0];
        return error.SymbolResult switch
        {
            OptionResult { Tokens.Count: 0, IdentifierToken: { } option } => $"{option.Value} requires a value",
            CommandResult { Command.Subcommands: { Count: > 0 } choices } command when command == parsed.CommandResult =>
                $"{CommandPath(command)} needs {Choices(choices.Select(c => c.Name).ToList())}",
            _ => error.Message,
        };
    }

    /// <summary>"list", or "list, verify or prune".</summary>
    private static string Choices(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} or {names[^1]}";

    /// <summary>"cache prune", for a subcommand.</summary>
    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? CommandPath(parent) + " " + command.Command.Name : command.Command.Name;
}
