namespace Eliloader.Formats.Iso9660;

/// <summary>A file's extents read one after the other from the image, as a forward-only stream.</summary>
internal sealed class IsoExtentStream(Stream image, IReadOnlyList<IsoExtent> extents) : ForwardReadStream
{
    private int index;
    private long offsetInExtent;

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (index < extents.Count && offsetInExtent == extents[index].Length)
        {
            index++;
            offsetInExtent = 0;
        }
        if (index == extents.Count || count == 0)
            return 0;
        var extent = extents[index];
        image.Position = extent.Offset + offsetInExtent;
        var read = image.Read(buffer, offset, (int)Math.Min(count, extent.Length - offsetInExtent));
        if (read == 0)
            throw new EndOfStreamException("the image ended inside a file");
        offsetInExtent += read;
        return read;
    }

    public override long Length => extents.Sum(e => e.Length);
}
