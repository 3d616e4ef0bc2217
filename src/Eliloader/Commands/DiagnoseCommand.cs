using System.CommandLine;
using Eliloader.Output;

namespace Eliloader.Commands;

/// <summary>
/// `eliloader diagnose --vm UUID [--image PATH]` or
/// `eliloader diagnose --other-config KEY=VALUE … [--image PATH]`.
/// </summary>
public sealed class DiagnoseCommand : AdminCommand
{
    private readonly Option<string> vm = new("--vm");
    private readonly Option<string[]> otherConfig = new("--other-config");
    private readonly Option<string> image = new("--image") { DefaultValueFactory = _ => "" };
    private readonly Option<bool> json = new("--json");
    private readonly Option<bool> fetch = new("--fetch");

    public DiagnoseCommand() : base(new Command("diagnose"))
    {
        otherConfig.Validators.Add(result =>
        {
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (pair.IndexOf('=') <= 0)
                    result.AddError($"--other-config takes key=value, not '{pair}'");
            }
        });
        Syntax.Options.Add(vm);
        Syntax.Options.Add(otherConfig);
        Syntax.Options.Add(image);
        Syntax.Options.Add(json);
        Syntax.Options.Add(fetch);
        Syntax.Validators.Add(result =>
        {
            if ((result.GetResult(vm) is null) == (result.GetResult(otherConfig) is null))
                result.AddError("diagnose needs either --vm or --other-config");
        });
    }

    public override string Usage => """
        Usage: eliloader diagnose --vm <uuid> [--image <path>] [--fetch] [--json]
               eliloader diagnose --other-config <key>=<value> [--other-config …] [--image <path>] [--fetch] [--json]

        Everything a first boot would do, without changing the VM and without leaving a
        file: the caller's boot format and error dialect, each install key and whether
        it is a default, the repository, every file looked for, the sizes against the
        limits in force, the checksums the mirror publishes for them, what the image
        cache holds for them, whether a ramdisk fixup could apply, the boot line that
        would be printed and the VM changes that would follow. It stops at the first
        thing that would fail and names the error code the toolstack would see.
        --fetch downloads both files into a private directory under temp-dir (removed
        afterwards, the image cache untouched), checks them against the published
        checksums and tells whether a guest-installer map names the ramdisk.
        --image is the CD drive (or .iso) for a cdrom install; --json prints one JSON
        document ({"findings": [{"step", "detail"}…], "ok", "error": {"code", "parameters"}}).
        Exit status: 0 when a real boot would succeed, 1 when it would fail, 2 usage.
        """;

    protected override int Run(ParseResult parsed, CommandContext context)
    {
        // A key given twice: the last one counts, as in other-config itself.
        var keys = parsed.GetResult(otherConfig) is null ? null : parsed.GetValue(otherConfig)!
            .Select(pair => pair.Split('=', 2))
            .GroupBy(kv => kv[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        var options = new DiagnoseOptions(parsed.GetValue(vm), keys, parsed.GetValue(image)!, parsed.GetValue(json), parsed.GetValue(fetch));
        var settings = context.Settings;
        var dialect = CallerDialect.Resolve(settings, () => ToolstackProbe.Probe(settings.ToolstackBinaries));
        IDiagnosisReport report = options.Json ? new JsonDiagnosisReport(Console.OpenStandardOutput()) : new TextDiagnosisReport(Console.Out);
        return new Diagnosis(settings, dialect, report, context.Progress, context.Cleanup, context.Log).Run(options);
    }
}
