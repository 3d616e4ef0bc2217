using System.CommandLine;

namespace Eliloader.Commands;

/// <summary>`eliloader restart --vm UUID [--distro D]`.</summary>
public sealed class RestartCommand : AdminCommand
{
    private readonly Option<string> vm = new("--vm");
    private readonly Option<string> distro = new("--distro");

    public RestartCommand() : base(new Command("restart"))
    {
        Syntax.Options.Add(vm);
        Syntax.Options.Add(distro);
        Syntax.Validators.Add(result =>
        {
            if (result.GetResult(vm) is null)
                result.AddError("restart needs --vm");
        });
    }

    public override string Usage => """
        Usage: eliloader restart --vm <uuid> [--distro rhlike|sleslike|debianlike|pygrub]

        Puts a VM back to the start of its install: PV-bootloader = eliloader,
        PV-bootloader-args cleared, install-round reset, install-distro and the platform
        size keys as they were when the install began (from the record eliloader kept,
        or install-distro from --distro). Prints every change it makes.
        """;

    protected override int Run(ParseResult parsed, CommandContext context)
    {
        new Restart(context.Settings, Console.Out, context.Log).Run(parsed.GetValue(vm)!, parsed.GetValue(distro));
        return 0;
    }
}
