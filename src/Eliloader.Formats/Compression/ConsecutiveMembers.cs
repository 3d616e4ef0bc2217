namespace Eliloader.Formats.Compression;

/// <summary>
/// The decoded data of compressed members that follow one another (gzip members,
/// bzip2 streams), read as one stream, as gzip(1) and bzip2(1) read them. Each member's
/// decoder stops exactly where its data ends, so the input is left exactly after the
/// last member: what follows is the caller's to judge.
/// </summary>
public sealed class ConsecutiveMembers(PeekableStream input, byte[] magic, Func<PeekableStream, Stream> openMember) : ForwardReadStream
{
    private Stream? member;
    private bool started;
    private bool ended;

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (!ended)
        {
            if (member is null)
            {
                // The first member is there (the caller saw its magic); a later one only if its magic follows.
                if (started && !input.Peek(magic.Length).SequenceEqual(magic))
                {
                    ended = true;
                    break;
                }
                member = openMember(input);
                started = true;
            }
            var read = member.Read(buffer, offset, count);
            if (read > 0)
                return read;
            member.Dispose();
            member = null;
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            member?.Dispose();
        base.Dispose(disposing);
    }
}
