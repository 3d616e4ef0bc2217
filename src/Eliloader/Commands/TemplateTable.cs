using Eliloader.Install;

namespace Eliloader.Commands;

/// <summary>One XenServer/XCP template whose PV-bootloader is eliloader, and the install keys it sets.</summary>
public sealed record TemplateRow(string Name, IReadOnlyDictionary<string, string> OtherConfig);

/// <summary>
/// The 178 Linux templates that install through eliloader (templates.tsv, built into
/// the binary), so `eliloader prefetch` can be given a template's name as the
/// administrator sees it in XenCenter.
/// </summary>
public static class TemplateTable
{
    private const string ResourceName = "templates.tsv";

    public static IReadOnlyList<TemplateRow> All { get; } = Load();

    public static TemplateRow? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static List<TemplateRow> Load()
    {
        using var resource = typeof(TemplateTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the {ResourceName} resource is missing from the binary");
        using var reader = new StreamReader(resource);
        var rows = new List<TemplateRow>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("name\t", StringComparison.Ordinal))
                continue;
            var fields = line.Split('\t');
            var keys = new Dictionary<string, string>(StringComparer.Ordinal) { [OtherConfigKeys.InstallDistro] = fields[1] };
            if (fields[2].Length > 0)
                keys[OtherConfigKeys.InstallArch] = fields[2];
            if (fields[3].Length > 0)
                keys[OtherConfigKeys.DebianRelease] = fields[3];
            foreach (var pair in fields.Length > 6 ? fields[6].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
                keys[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
            rows.Add(new TemplateRow(fields[0], keys));
        }
        return rows;
    }
}
