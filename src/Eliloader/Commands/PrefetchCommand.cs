using System.CommandLine;
using Eliloader.Install;

namespace Eliloader.Commands;

/// <summary>`eliloader prefetch --template NAME | --distro D [--release R] [--arch A] --repository URL`, or `--list-templates`.</summary>
public sealed class PrefetchCommand : AdminCommand
{
    private readonly Option<bool> listTemplates = new("--list-templates");
    private readonly Option<string> template = new("--template");
    private readonly Option<string> distro = new("--distro");
    private readonly Option<string> release = new("--release");
    private readonly Option<string> arch = new("--arch");
    private readonly Option<string> repository = new("--repository");

    public PrefetchCommand() : base(new Command("prefetch"))
    {
        template.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && TemplateTable.Find(name) is null)
                result.AddError($"no template is named '{name}' (see --list-templates)");
        });
        foreach (var option in new Option[] { listTemplates, template, distro, release, arch, repository })
            Syntax.Options.Add(option);
        Syntax.Validators.Add(result =>
        {
            if (result.GetResult(listTemplates) is not null)
                return;
            if (result.GetResult(template) is null && result.GetResult(distro) is null)
                result.AddError("prefetch needs --template or --distro");
            else if (result.GetResult(repository) is null)
                result.AddError("prefetch needs --repository");
        });
    }

    public override string Usage => """
        Usage: eliloader prefetch --template <name> --repository <url>
               eliloader prefetch --distro <family> [--release <name>] [--arch <arch>] --repository <url>
               eliloader prefetch --list-templates

        Fills the image cache (cache-dir) with an install's kernel and ramdisk, exactly
        as a first boot would fetch them: found in the repository, checked against the
        checksums the mirror publishes, within the host's size limits. A file already
        cached is only revalidated. --template takes a template's name as XenCenter
        shows it (--list-templates prints them all); --distro, --release (debian-release)
        and --arch (install-arch) give the keys directly, and win over the template's.
        --repository is the VMs' install-repository (http, https, ftp or nfs; a CD needs
        no prefetch).
        Exit status: 0 when both files are in the cache, 1 when not, 2 usage.
        """;

    protected override int Run(ParseResult parsed, CommandContext context)
    {
        if (parsed.GetValue(listTemplates))
        {
            Prefetch.ListTemplates(Console.Out);
            return 0;
        }
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.GetValue(template) is { } name)
        {
            foreach (var (key, value) in TemplateTable.Find(name)!.OtherConfig)
                keys[key] = value;
        }
        foreach (var (option, key) in new[]
                 {
                     (distro, OtherConfigKeys.InstallDistro), (release, OtherConfigKeys.DebianRelease),
                     (arch, OtherConfigKeys.InstallArch), (repository, OtherConfigKeys.InstallRepository),
                 })
        {
            if (parsed.GetValue(option) is { } value)
                keys[key] = value;
        }
        new Prefetch(context.Settings, Console.Out, context.Progress, context.Cleanup, context.Log).Run(new PrefetchOptions(keys, ""));
        return 0;
    }
}
