namespace Eliloader.Formats.Tests;

/// <summary>Reading a stream with a buffer of a fixed size, keeping what each read returned.</summary>
internal static class Reads
{
    /// <summary>The count each read returned, the final 0 included, and all the bytes read.</summary>
    public static (List<int> Counts, byte[] Bytes) InChunksOf(Stream stream, int chunk)
    {
        var buffer = new byte[chunk];
        var bytes = new MemoryStream();
        var counts = new List<int>();
        int n;
        do
        {
            n = stream.Read(buffer, 0, buffer.Length);
            counts.Add(n);
            bytes.Write(buffer, 0, n);
        }
        while (n > 0);
        return (counts, bytes.ToArray());
    }
}
