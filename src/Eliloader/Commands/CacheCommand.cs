using System.CommandLine;
using Eliloader.Cache;
using Eliloader.Configuration;

namespace Eliloader.Commands;

/// <summary>`eliloader cache list | verify | prune [--max-size N] [--all]`.</summary>
public sealed class CacheCommand : AdminCommand
{
    private readonly Command list = new("list");
    private readonly Command verify = new("verify");
    private readonly Command prune = new("prune");
    private readonly Option<long?> maxSize = new("--max-size") { CustomParser = SizeOption };
    private readonly Option<bool> all = new("--all");

    public CacheCommand() : base(new Command("cache"))
    {
        prune.Options.Add(maxSize);
        prune.Options.Add(all);
        Syntax.Subcommands.Add(list);
        Syntax.Subcommands.Add(verify);
        Syntax.Subcommands.Add(prune);
    }

    public override string Usage => """
        Usage: eliloader cache list
               eliloader cache verify
               eliloader cache prune [--max-size <bytes>[K|M|G|T]] [--all]

        list: every cached URL with its size, SHA-256, when it was fetched and last used.
        verify: reads every cached file again and removes those whose SHA-256 is not the
        one they are kept under (exit status 1 if there were any).
        prune: removes the least recently used files until the cache holds at most
        --max-size (default: cache-max-size from the configuration); --all empties it.
        Files a running eliloader is using are left alone.
        """;

    protected override int Run(ParseResult parsed, CommandContext context)
    {
        var cache = ImageCache.Required(context.Settings, context.Cleanup, context.Log);
        var maintenance = new CacheMaintenance(cache, Console.Out, context.Log);
        var chosen = parsed.CommandResult.Command;
        if (chosen == list)
            maintenance.List();
        else if (chosen == verify)
            return maintenance.Verify() ? 0 : 1;
        else
            maintenance.Prune(parsed.GetValue(all) ? 0 : parsed.GetValue(maxSize) ?? cache.MaxSize);
        return 0;
    }

    private static long? SizeOption(System.CommandLine.Parsing.ArgumentResult result)
    {
        var value = result.Tokens.Single().Value;
        try
        {
            return SettingsFile.ByteCount(value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }
}
