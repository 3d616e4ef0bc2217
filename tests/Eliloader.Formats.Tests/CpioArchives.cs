using Eliloader.Formats.Cpio;

namespace Eliloader.Formats.Tests;

/// <summary>A newc archive written in memory by this project's writer, each member as given (its DataLength included).</summary>
internal static class CpioArchives
{
    public static byte[] Archive(params (CpioEntry Entry, byte[] Data)[] members) => Archive(members.AsEnumerable());

    public static byte[] Archive(IEnumerable<(CpioEntry Entry, byte[] Data)> members)
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        foreach (var (entry, data) in members)
            writer.WriteEntry(entry, new MemoryStream(data));
        writer.Finish();
        return output.ToArray();
    }
}
