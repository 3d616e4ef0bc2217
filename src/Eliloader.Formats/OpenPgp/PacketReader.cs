using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>
/// OpenPGP objects from bytes that may be binary packets or ASCII armor, read with
/// BouncyCastle. Whatever the input (a mirror's signature, an administrator's key
/// file), a malformed one is an <see cref="InvalidDataException"/>, never a library's own exception.
/// </summary>
public static class PacketReader
{
    public static bool IsArmored(ReadOnlySpan<byte> data)
    {
        var start = data.TrimStart(" \t\r\n"u8);
        return start.StartsWith("-----BEGIN PGP "u8);
    }

    /// <summary>The binary packets: the input itself, or its armored blocks' data one after another.</summary>
    public static byte[] Binary(byte[] data, string expectedLabel)
    {
        if (!IsArmored(data))
            return data;
        var packets = new MemoryStream();
        foreach (var block in ArmoredBlock.ReadAll(Encoding.UTF8.GetString(data)))
        {
            if (block.Label != expectedLabel)
                throw new InvalidDataException($"armored {block.Label} where a {expectedLabel} was expected");
            packets.Write(block.Data);
        }
        return packets.ToArray();
    }

    /// <summary>Every object of the packets, in order.</summary>
    public static List<PgpObject> Objects(byte[] packets, int maxObjects)
    {
        var objects = new List<PgpObject>();
        try
        {
            var factory = new PgpObjectFactory(packets);
            while (factory.NextPgpObject() is { } next)
            {
                if (objects.Count == maxObjects)
                    throw new InvalidDataException($"more than {maxObjects} OpenPGP objects");
                objects.Add(next);
            }
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"malformed OpenPGP packets ({e.Message})", e);
        }
        return objects;
    }
}
