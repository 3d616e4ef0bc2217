namespace Eliloader.Formats.OpenPgp;

/// <summary>The CRC-24 of OpenPGP armor (RFC 4880 section 6.1).</summary>
public static class Crc24
{
    private const int Init = 0xB704CE;
    private const int Poly = 0x1864CFB;

    public static int Compute(ReadOnlySpan<byte> data)
    {
        var crc = Init;
        foreach (var b in data)
        {
            crc ^= b << 16;
            for (var bit = 0; bit < 8; bit++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                    crc ^= Poly;
            }
        }
        return crc & 0xFFFFFF;
    }
}
