namespace Eliloader.Formats.Ext2;

/// <summary>
/// Where ext2 keeps each field the reader and the builder use, named once (as
/// System.Formats.Tar names its header's FieldLocations and FieldLengths): byte offsets
/// inside the superblock, a group descriptor, an inode and a directory entry, all
/// little-endian, as the kernel's ext2_fs.h lays them out. Where the superblock lies
/// and its magic number are <see cref="Ext2Superblock"/>'s.
/// </summary>
internal static class Ext2Layout
{
    /// <summary>The root directory's inode number.</summary>
    public const uint RootInode = 2;

    /// <summary>Revision 0 ("good old") images: the first usable inode and the inode size, fixed.</summary>
    public const uint GoodOldFirstInode = 11;
    public const int GoodOldInodeSize = 128;

    /// <summary>Revision 1: the first inode and the inode size are read from the superblock.</summary>
    public const uint DynamicRevision = 1;

    /// <summary>INCOMPAT_FILETYPE: directory entries carry the file's type.</summary>
    public const uint IncompatibleFileType = 0x2;

    /// <summary>RO_COMPAT_SPARSE_SUPER: superblock copies only in groups 0, 1 and powers of 3, 5 and 7.</summary>
    public const uint ReadOnlySparseSuperblocks = 0x1;

    /// <summary>Superblock fields (struct ext2_super_block).</summary>
    public static class Superblock
    {
        public const int InodesCount = 0;
        public const int BlocksCount = 4;
        public const int FreeBlocksCount = 12;
        public const int FreeInodesCount = 16;
        public const int FirstDataBlock = 20;
        /// <summary>The block size is 1024 shifted left by this.</summary>
        public const int LogBlockSize = 24;
        public const int BlocksPerGroup = 32;
        public const int FragmentsPerGroup = 36;
        public const int InodesPerGroup = 40;
        public const int WriteTime = 48;
        public const int MaxMountCount = 54;
        public const int Magic = 56;
        public const int State = 58;
        public const int Errors = 60;
        public const int LastCheck = 64;
        public const int RevisionLevel = 76;
        public const int FirstInode = 84;
        public const int InodeSize = 88;
        public const int BlockGroupNumber = 90;
        public const int FeatureIncompatible = 96;
        public const int FeatureReadOnlyCompatible = 100;
        public const int Uuid = 104;
        public const int UuidLength = 16;
        public const int VolumeName = 120;
        public const int VolumeNameLength = 16;
    }

    /// <summary>Group descriptor fields (struct ext2_group_desc); the table follows the superblock's block.</summary>
    public static class GroupDescriptor
    {
        public const int Size = 32;
        public const int BlockBitmap = 0;
        public const int InodeBitmap = 4;
        public const int InodeTable = 8;
        public const int FreeBlocksCount = 12;
        public const int FreeInodesCount = 14;
        public const int UsedDirectoriesCount = 16;
    }

    /// <summary>Inode fields (struct ext2_inode).</summary>
    public static class Inode
    {
        public const int Mode = 0;
        public const int Uid = 2;
        public const int Size = 4;
        public const int AccessTime = 8;
        public const int ChangeTime = 12;
        public const int ModificationTime = 16;
        public const int Gid = 24;
        public const int LinksCount = 26;
        /// <summary>512-byte sectors the file holds, map blocks included.</summary>
        public const int Sectors = 28;
        /// <summary>The block map: 12 direct pointers, then the single, double and triple indirect ones.</summary>
        public const int Block = 40;
        public const int Pointers = 15;
        public const int DirectPointers = 12;
        public const int SingleIndirect = 12;
        public const int DoubleIndirect = 13;
        public const int TripleIndirect = 14;
        /// <summary>A symlink target shorter than the block map's 60 bytes is kept in it ("fast" symlink).</summary>
        public const int FastSymlinkMaxLength = Pointers * 4;
        public const int FileAcl = 104;
        /// <summary>The upper 32 bits of a regular file's size (i_dir_acl of older headers).</summary>
        public const int SizeHigh = 108;
        public const int UidHigh = 120;
        public const int GidHigh = 122;
    }

    /// <summary>Directory entry fields (struct ext2_dir_entry_2): a header, then the name, padded to 4 bytes.</summary>
    public static class DirectoryEntry
    {
        public const int Inode = 0;
        public const int RecordLength = 4;
        public const int NameLength = 6;
        public const int FileType = 7;
        public const int Name = 8;
        public const int HeaderSize = 8;
        public const int MaxNameLength = 255;
    }

    /// <summary>The file type a directory entry records (EXT2_FT_*), from a mode's <see cref="UnixFileType"/>.</summary>
    public static byte DirectoryEntryType(uint type) => type switch
    {
        UnixFileType.RegularFile => 1,
        UnixFileType.Directory => 2,
        UnixFileType.CharacterDevice => 3,
        UnixFileType.BlockDevice => 4,
        UnixFileType.Fifo => 5,
        UnixFileType.Socket => 6,
        UnixFileType.SymbolicLink => 7,
        _ => 0,
    };
}
