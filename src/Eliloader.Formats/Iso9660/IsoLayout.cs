namespace Eliloader.Formats.Iso9660;

/// <summary>
/// Where ISO 9660 (ECMA-119) and its System Use Sharing Protocol keep the fields the
/// reader uses, named once (as System.Formats.Tar names its header's FieldLocations and
/// FieldLengths): byte offsets inside a volume descriptor, a directory record and a
/// SUSP field. Numbers stored in both byte orders are read from their little-endian half.
/// </summary>
internal static class IsoLayout
{
    /// <summary>Sectors of the system area before the first volume descriptor.</summary>
    public const int SystemAreaSectors = 16;

    /// <summary>A volume descriptor's sector, whatever the logical block size.</summary>
    public const int SectorSize = 2048;

    /// <summary>Volume descriptor fields (ECMA-119 8.4 and, for Joliet, the supplementary descriptor's escapes).</summary>
    public static class VolumeDescriptor
    {
        public const int Type = 0;
        public const int StandardIdentifier = 1;
        public const int StandardIdentifierLength = 5;
        public const string StandardIdentifierText = "CD001";
        public const int EscapeSequences = 88;
        public const int LogicalBlockSize = 128;
        public const int RootDirectoryRecord = 156;

        public const byte PrimaryType = 1;
        public const byte SupplementaryType = 2;
        public const byte TerminatorType = 255;
    }

    /// <summary>Directory record fields (ECMA-119 9.1).</summary>
    public static class DirectoryRecord
    {
        public const int Length = 0;
        public const int ExtentLocation = 2;
        public const int DataLength = 10;
        public const int FileFlags = 25;
        public const int NameLength = 32;
        public const int Name = 33;

        /// <summary>The fixed part and a one-byte name: the smallest record, and the root record's size.</summary>
        public const int MinimumLength = 34;

        /// <summary>The names of "." and "..": one byte, 0 or 1.</summary>
        public const byte SelfName = 0;
        public const byte ParentName = 1;

        public const byte DirectoryFlag = 0x02;

        /// <summary>Set on every record of a file but its last extent's.</summary>
        public const byte MultiExtentFlag = 0x80;
    }

    /// <summary>SUSP and Rock Ridge fields of a record's system use area: a 2-letter signature, a length, a version, data.</summary>
    public static class SystemUse
    {
        public const int Signature = 0;
        public const int SignatureLength = 2;
        public const int FieldLength = 2;
        public const int HeaderSize = 4;

        /// <summary>The SP field's check bytes and its skip length, in the root's "." record.</summary>
        public const int SpCheckFirst = 4;
        public const int SpCheckSecond = 5;
        public const int SpSkipLength = 6;
        public const int SpFieldLength = 7;
        public const byte SpCheckFirstValue = 0xBE;
        public const byte SpCheckSecondValue = 0xEF;

        /// <summary>CE data: continuation block, offset and length, each in both byte orders.</summary>
        public const int ContinuationBlock = 0;
        public const int ContinuationOffset = 8;
        public const int ContinuationLength = 16;
        public const int ContinuationDataLength = 24;

        /// <summary>NM flags naming "." or ".." rather than carrying a name.</summary>
        public const byte NameCurrentOrParent = 0x06;

        /// <summary>SL component flags.</summary>
        public const byte ComponentContinues = 0x01;
        public const byte ComponentCurrent = 0x02;
        public const byte ComponentParent = 0x04;
        public const byte ComponentRoot = 0x08;
    }
}
