using System.Buffers.Binary;
using System.Text;
using Eliloader.Formats.Iso9660;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Every bound the ISO 9660 reader keeps on a guest's medium, exactly at its limit and
/// one past it, with the error that names what is wrong: volume descriptors, directory
/// records, names, extents, Rock Ridge fields and their continuation areas. Images are
/// crafted byte by byte (CraftedIso): the root directory is sector 18 and file data follows.
/// </summary>
public sealed class IsoBoundaryTests
{
    private const int Sector = 2048;
    private const int RootSector = 18 * Sector;

    /// <summary>Where the primary volume descriptor keeps the root directory's record.</summary>
    private const int PrimaryRoot = 16 * Sector + 156;

    /// <summary>A plain image: the root's records are "." at 0, ".." at 34 and "vmlinuz" (40 bytes) at 68; the file is sector 19, the last.</summary>
    private static byte[] Plain() => new CraftedIso(rockRidge: false).File("vmlinuz", "kernel").Build();

    private const int Vmlinuz = RootSector + 68;

    private static IsoImage Open(byte[] image) => IsoImage.Open(new MemoryStream(image));

    private static string Read(byte[] image, string path) => Read(Open(image), path);

    private static string Read(IsoImage iso, string path)
    {
        var file = iso.Find(path) ?? throw new FileNotFoundException(path);
        using var reader = new StreamReader(iso.OpenRead(file));
        return reader.ReadToEnd();
    }

    private static string Refusal(byte[] image, string path) => Assert.Throws<InvalidDataException>(() => Open(image).Find(path)).Message;

    private static string OpenRefusal(byte[] image) => Assert.Throws<InvalidDataException>(() => Open(image)).Message;

    private static void Set32(byte[] image, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);

    /// <summary>A volume descriptor of a type, with bytes set as given.</summary>
    private static byte[] Descriptor(byte type, params (int Offset, byte Value)[] bytes)
    {
        var sector = new byte[Sector];
        sector[0] = type;
        "CD001"u8.CopyTo(sector.AsSpan(1));
        sector[6] = 1;
        foreach (var (offset, value) in bytes)
            sector[offset] = value;
        return sector;
    }

    private static byte[] Joliet(byte level) => Descriptor(2, (88, 0x25), (89, 0x2F), (90, level));

    private static string Scheme(params byte[][] descriptors) => Open(Build(descriptors)).NamingScheme;

    /// <summary>The plain image with more volume descriptors after the primary.</summary>
    private static byte[] Build(byte[][] descriptors)
    {
        var iso = new CraftedIso(rockRidge: false).File("vmlinuz", "kernel");
        foreach (var descriptor in descriptors)
            iso.VolumeDescriptor(descriptor);
        return iso.Build();
    }

    [Fact]
    public void Joliet_is_told_by_its_three_escape_sequences_in_a_supplementary_descriptor()
    {
        Assert.Equal("Joliet", Scheme(Joliet(0x40)));
        Assert.Equal("Joliet", Scheme(Joliet(0x43)));
        Assert.Equal("Joliet", Scheme(Joliet(0x45)));
        Assert.Equal("ISO 9660", Scheme(Joliet(0x44)));
        Assert.Equal("ISO 9660", Scheme(Descriptor(2, (88, 0x24), (89, 0x2F), (90, 0x45))));
        Assert.Equal("ISO 9660", Scheme(Descriptor(2, (88, 0x25), (89, 0x2E), (90, 0x45))));
        Assert.Equal("ISO 9660", Scheme(Descriptor(3, (88, 0x25), (89, 0x2F), (90, 0x45))));
        Assert.Equal("ISO 9660", Scheme());
    }

    [Fact]
    public void The_first_primary_descriptor_is_the_one_read()
    {
        // A second primary with an impossible block size is never looked at.
        Assert.Equal("kernel", Read(Build([Descriptor(1, (128, 0xB8), (129, 0x0B))]), "vmlinuz"));
    }

    [Fact]
    public void Sixty_four_volume_descriptors_are_read_and_not_one_more()
    {
        // The primary is the first; 62 others follow, then the 64th at sector 79.
        var filler = Enumerable.Repeat(Descriptor(3), 62).ToArray();
        Assert.Equal("Joliet", Scheme([.. filler, Joliet(0x45)]));
        Assert.Equal("ISO 9660", Scheme([.. filler, Descriptor(3), Joliet(0x45)]));
        var garbage = new byte[Sector];
        Assert.Equal("not an ISO 9660 image: no volume descriptor at sector 79",
            OpenRefusal(Build([.. filler, garbage])));
        Assert.Equal("kernel", Read(Build([.. filler, Descriptor(3), garbage]), "vmlinuz"));
    }

    [Fact]
    public void An_image_is_17_sectors_at_least_and_has_a_primary_descriptor_and_a_terminator_inside_it()
    {
        Assert.Equal("not an ISO 9660 image: only 34815 bytes", OpenRefusal(new byte[17 * Sector - 1]));
        Assert.Equal("not an ISO 9660 image: no volume descriptor at sector 16", OpenRefusal(new byte[17 * Sector]));
        var primaryOnly = new byte[17 * Sector];
        Descriptor(1).CopyTo(primaryOnly, 16 * Sector);
        Assert.Equal("volume descriptor lies past the end of the image", OpenRefusal(primaryOnly));
        var terminatorOnly = new byte[18 * Sector];
        Descriptor(255).CopyTo(terminatorOnly, 16 * Sector);
        Assert.Equal("not an ISO 9660 image: no primary volume descriptor", OpenRefusal(terminatorOnly));
    }

    /// <summary>The plain image with its block size set and every block number scaled to it.</summary>
    private static byte[] WithBlockSize(int blockSize)
    {
        var image = Plain();
        var scale = (uint)(Sector / blockSize);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(16 * Sector + 128), (ushort)blockSize);
        foreach (var record in new[] { PrimaryRoot, RootSector, RootSector + 34, Vmlinuz })
            Set32(image, record + 2, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(record + 2)) * scale);
        return image;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Blocks_of_512_1024_and_2048_bytes_are_read(int blockSize) => Assert.Equal("kernel", Read(WithBlockSize(blockSize), "vmlinuz"));

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(4096)]
    public void Other_block_sizes_are_refused(int blockSize)
    {
        var image = Plain();
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(16 * Sector + 128), (ushort)blockSize);
        Assert.Equal($"ISO 9660 logical block size {blockSize} is not 512, 1024 or 2048", OpenRefusal(image));
    }

    [Fact]
    public void Paths_step_through_dot_and_dot_dot_but_not_above_the_root()
    {
        var iso = Open(new CraftedIso().File("a/f", "in a").File("a/b/g", "in b").File("f", "top").Build());
        Assert.Equal("in a", Read(iso, "a/b/../f"));
        Assert.Equal("top", Read(iso, "a/../f"));
        Assert.Equal("in b", Read(iso, "a/./b/g"));
        Assert.Equal("top", Read(iso, "./f"));
        Assert.Null(iso.Find("a/../../f"));
        Assert.Null(iso.Find("a/b/.."));
        Assert.Null(iso.Find("f/x"));
        Assert.Null(iso.Find(""));
        Assert.Null(iso.Find("."));
        Assert.Null(iso.Find("/"));
        var file = iso.Find("/a//f")!;
        Assert.Equal(("/a//f", 4L), (file.Path, file.Length));
    }

    [Fact]
    public void A_path_of_64_components_is_looked_up_and_one_of_65_refused()
    {
        var image = new CraftedIso().File("f", "top").Build();
        var longest = string.Concat(Enumerable.Repeat("./", 63)) + "f";
        Assert.Equal("top", Read(image, longest));
        Assert.Equal($"path './{longest}' has more than 64 components", Refusal(image, "./" + longest));
    }

    [Fact]
    public void A_file_is_read_extent_by_extent()
    {
        var data = StreamData(4500);
        var iso = Open(new CraftedIso().File("f", data, extents: 3).Build());
        var file = iso.Find("f")!;
        using var stream = iso.OpenRead(file);
        Assert.Equal(4500, stream.Length);
        Assert.Equal(0, stream.Read(new byte[10], 0, 0));
        var (counts, bytes) = Reads.InChunksOf(stream, 1000);
        Assert.Equal([1000, 500, 1000, 500, 1000, 500, 0], counts);
        Assert.Equal(data, bytes);
    }

    private static byte[] StreamData(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 13 + 5))];

    [Fact]
    public void An_image_that_shrinks_under_a_file_is_an_end_of_stream()
    {
        var image = new MemoryStream();
        image.Write(Plain());
        var iso = IsoImage.Open(image);
        var file = iso.Find("vmlinuz")!;
        image.SetLength(19 * Sector);
        Assert.Equal("the image ended inside a file", Assert.Throws<EndOfStreamException>(() => iso.OpenRead(file).ReadByte()).Message);
    }

    [Fact]
    public void An_extent_may_end_at_the_end_of_the_image_and_not_past_it()
    {
        var image = Plain();
        Set32(image, Vmlinuz + 10, Sector);
        Assert.Equal(Sector, Open(image).Find("vmlinuz")!.Length);
        Set32(image, Vmlinuz + 10, Sector + 1);
        Assert.Equal("an entry of directory '/' extends past the end of the image (40961 > 40960 bytes)", Refusal(image, "vmlinuz"));
    }

    [Fact]
    public void A_record_of_34_bytes_is_the_shortest_read()
    {
        var image = new CraftedIso(rockRidge: false).File("k", "x").Build();
        Assert.Equal(34, image[Vmlinuz]);
        Assert.Equal("x", Read(image, "k"));
        image[Vmlinuz] = 33;
        Assert.Equal("directory '/' has a malformed record at byte 68", Refusal(image, "k"));
    }

    [Fact]
    public void A_record_may_end_at_the_end_of_its_directory_and_not_past_it()
    {
        var image = Plain();
        Set32(image, PrimaryRoot + 10, 68 + 40);
        Assert.Equal("kernel", Read(image, "vmlinuz"));
        Set32(image, PrimaryRoot + 10, 68 + 39);
        Assert.Equal("directory '/' has a malformed record at byte 68", Refusal(image, "vmlinuz"));
    }

    [Fact]
    public void A_name_may_fill_its_record_and_not_overrun_it()
    {
        var image = Plain();
        Assert.Equal((40, 7), (image[Vmlinuz], image[Vmlinuz + 32]));
        image[Vmlinuz + 32] = 8;
        Assert.Equal("directory '/' has a record whose name overruns it", Refusal(image, "vmlinuz"));
    }

    [Fact]
    public void A_malformed_record_is_named_by_its_directory_path()
    {
        // Directories: / at 18, a at 19, b at 20; b's records as the root's.
        var image = new CraftedIso(rockRidge: false).File("a/b/vmlinuz", "k").Build();
        image[20 * Sector + 68] = 33;
        Assert.Equal("directory '/a/b' has a malformed record at byte 68", Refusal(image, "a/b/vmlinuz"));
    }

    [Fact]
    public void A_last_record_flagged_as_continued_is_refused()
    {
        var image = Plain();
        image[Vmlinuz + 25] = 0x80;
        Assert.Equal("file 'vmlinuz' in directory '/' ends in a non-final extent", Refusal(image, "vmlinuz"));
    }

    [Fact]
    public void The_directory_flag_makes_an_entry_a_directory()
    {
        var image = Plain();
        image[Vmlinuz + 25] = 0x02;
        Assert.Null(Open(image).Find("vmlinuz"));
        // Its "records" are the bytes "kernel": 'k' (107) is no record length that fits.
        Assert.Equal("directory '/vmlinuz' has a malformed record at byte 0", Refusal(image, "vmlinuz/x"));
    }

    [Theory]
    [InlineData("A.B;2", "a.b")]
    [InlineData("README.", "readme")]
    [InlineData("VMLINUZ.;1", "vmlinuz")]
    [InlineData("NOVERSION", "noversion")]
    public void Plain_names_lose_their_version_and_a_trailing_dot(string recorded, string lookedUp) =>
        Assert.Equal("v", Read(new CraftedIso(rockRidge: false).File(recorded, "v").Build(), lookedUp));

    [Fact]
    public void A_plain_name_of_a_lone_dot_is_refused() =>
        Assert.Equal("directory '/' holds an entry named ''", Refusal(new CraftedIso(rockRidge: false).File(".", "v").Build(), "x"));

    [Fact]
    public void An_exact_name_wins_over_one_of_another_case_and_the_first_of_equal_names_wins()
    {
        var iso = Open(new CraftedIso(rockRidge: false).File("A", "upper").File("a", "lower").File("x", "first").File("x", "second")
            .File("Mm", "one").File("mM", "two").Build());
        Assert.Equal("upper", Read(iso, "A"));
        Assert.Equal("lower", Read(iso, "a"));
        Assert.Equal("first", Read(iso, "x"));
        Assert.Equal("one", Read(iso, "MM"));
        Assert.Equal("two", Read(iso, "mM"));
    }

    private static byte[] Field(string signature, params byte[] data) => [.. Encoding.ASCII.GetBytes(signature), (byte)(4 + data.Length), 1, .. data];

    private static byte[] Name(string name, byte flags = 0) => Field("NM", [flags, .. Encoding.UTF8.GetBytes(name)]);

    private static byte[] Continuation(uint block, uint offset, uint length, int dataLength = 24)
    {
        var data = new byte[dataLength];
        BitConverter.GetBytes(block).CopyTo(data, 0);
        BitConverter.GetBytes(offset).CopyTo(data, 8);
        BitConverter.GetBytes(length).CopyTo(data, 16);
        return Field("CE", data);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void Rock_ridge_names_that_are_no_file_name_are_refused(string name) =>
        Assert.Equal($"directory '/' holds an entry named '{name}'", Refusal(new CraftedIso().RawEntry("e", Name(name)).Build(), "x"));

    [Fact]
    public void The_sharing_protocol_skip_moves_the_rock_ridge_fields()
    {
        // Four bytes that are no field, then the name: read only when "SP" says to skip four.
        var image = new CraftedIso().RawEntry("junk", [.. "JUNK"u8, .. Name("vmlinuz")]).Build();
        Assert.Equal(0, image[RootSector + 34 + 6]);
        Assert.NotNull(Open(image).Find("JUNK"));
        Assert.Null(Open(image).Find("vmlinuz"));
        image[RootSector + 34 + 6] = 4;
        Assert.NotNull(Open(image).Find("vmlinuz"));
        Assert.Null(Open(image).Find("JUNK"));
    }

    [Fact]
    public void Rock_ridge_is_told_by_the_sharing_protocol_field_of_the_roots_first_record()
    {
        static string With(int offset, uint value, int width = 1)
        {
            var image = new CraftedIso().File("vmlinuz", "k").Build();
            if (width == 4)
                Set32(image, offset, value);
            else if (offset >= 0)
                image[offset] = (byte)value;
            return Open(image).NamingScheme;
        }
        Assert.Equal("Rock Ridge", With(-1, 0));
        // The "." record holds "SP", its length, version, 0xBE 0xEF and the skip after 34 bytes: 41 at least.
        Assert.Equal("Rock Ridge", With(RootSector, 41));
        Assert.Equal("ISO 9660", With(RootSector, 40));
        Assert.Equal("ISO 9660", With(RootSector, 33));
        Assert.Equal("ISO 9660", With(RootSector + 34, 'X'));
        Assert.Equal("ISO 9660", With(RootSector + 35, 'X'));
        Assert.Equal("ISO 9660", With(RootSector + 38, 0));
        Assert.Equal("ISO 9660", With(RootSector + 39, 0));
        // The root's extent must hold the whole record (42 bytes) for it to be looked at.
        Assert.Equal("Rock Ridge", With(PrimaryRoot + 10, 42, 4));
        Assert.Equal("ISO 9660", With(PrimaryRoot + 10, 41, 4));
        Assert.Equal("ISO 9660", With(PrimaryRoot + 10, 0, 4));
    }

    [Fact]
    public void Unknown_and_four_byte_fields_are_stepped_over_and_a_shorter_one_ends_the_area()
    {
        Assert.NotNull(Open(new CraftedIso().RawEntry("e", [.. Field("XX"), .. Name("found")]).Build()).Find("found"));
        var stopped = Open(new CraftedIso().RawEntry("e", [.. "XX"u8, 3, 1, .. Name("found")]).Build());
        Assert.Null(stopped.Find("found"));
        Assert.NotNull(stopped.Find("E"));
    }

    [Fact]
    public void Name_and_link_fields_need_their_flags_byte()
    {
        // Without data an NM or SL names nothing and the plain name serves; with only its flags an NM names "".
        var iso = Open(new CraftedIso().RawEntry("nm", Field("NM")).RawEntry("sl", Field("SL")).Build());
        Assert.NotNull(iso.Find("NM"));
        Assert.Equal(0, iso.Find("SL")!.Length);
        Assert.Equal("directory '/' holds an entry named ''", Refusal(new CraftedIso().RawEntry("e", Field("NM", 0)).Build(), "x"));
        // An SL of flags only is an empty link: the plain name is kept and the lookup ends at the root.
        Assert.Null(Open(new CraftedIso().RawEntry("e", Field("SL", 0)).Build()).Find("E"));
    }

    [Fact]
    public void Names_of_the_current_and_parent_directory_add_nothing()
    {
        var iso = Open(new CraftedIso().RawEntry("e", [.. Name("ignored", 4), .. Name("kept")]).Build());
        Assert.NotNull(iso.Find("kept"));
    }

    /// <summary>An area file (sector 19, the last of the image) and an entry whose CE field points into it.</summary>
    private static IsoImage Continued(byte[] area, uint block, uint offset, uint length, int dataLength = 24) =>
        Open(new CraftedIso().File("area", area).RawEntry("l", Continuation(block, offset, length, dataLength)).Build());

    [Fact]
    public void A_continuation_area_may_fill_its_block_and_end_the_image()
    {
        Assert.NotNull(Continued([.. Name("found"), .. new byte[Sector - 10]], 19, 0, Sector).Find("found"));
        Assert.NotNull(Continued([.. new byte[Sector - 10], .. Name("found")], 19, Sector - 10, 10).Find("found"));
        Assert.Equal("a Rock Ridge continuation area lies past the end of the image",
            Assert.Throws<InvalidDataException>(() => Continued(Name("found"), 20, 0, 10).Find("found")).Message);
    }

    [Fact]
    public void A_continuation_field_needs_its_24_bytes()
    {
        Assert.NotNull(Continued(Name("found"), 19, 0, 10, dataLength: 24).Find("found"));
        var shortField = Continued(Name("found"), 19, 0, 10, dataLength: 23);
        Assert.Null(shortField.Find("found"));
        Assert.NotNull(shortField.Find("L"));
    }

    private static byte[] Chain(int areas)
    {
        // Area k is the file of sector 19 + k; each leads on to the next, the last names the entry.
        var iso = new CraftedIso();
        for (var k = 0; k < areas; k++)
            iso.File($"a{k:D2}", k + 1 < areas ? Continuation((uint)(20 + k), 0, k + 2 < areas ? 28u : 10u) : Name("found"));
        return iso.RawEntry("l", Continuation(19, 0, areas > 1 ? 28u : 10u)).Build();
    }

    [Fact]
    public void Sixteen_continuation_areas_are_followed_and_a_17th_refused()
    {
        Assert.NotNull(Open(Chain(16)).Find("found"));
        Assert.Equal("directory '/': more than 16 Rock Ridge continuation areas", Refusal(Chain(17), "found"));
    }

    [Fact]
    public void A_link_of_4096_characters_is_followed_and_one_of_4097_refused()
    {
        // "." 2047 times joined by "/" and "/ff": 4096 characters.
        var target = string.Concat(Enumerable.Repeat("./", 2047));
        Assert.Equal(3, Open(new CraftedIso().File("ff", "end").Symlink("l", target + "ff").Build()).Find("l")!.Length);
        Assert.Equal("directory '/': Rock Ridge name or link longer than 4096 characters",
            Refusal(new CraftedIso().File("fff", "end").Symlink("l", target + "fff").Build(), "l"));
    }

    /// <summary>A name of NM fields of 250 characters (the last shorter), seven to an area file, the areas chained from sector 19.</summary>
    private static byte[] LongName(int characters)
    {
        var fields = new List<byte[]>();
        for (var left = characters; left > 0; left -= 250)
            fields.Add(Name(new string('n', Math.Min(left, 250)), left > 250 ? (byte)1 : (byte)0));
        var areas = fields.Chunk(7).Select(c => c.SelectMany(f => f).ToArray()).ToList();
        var iso = new CraftedIso();
        for (var k = 0; k < areas.Count; k++)
            iso.File($"a{k}", k + 1 < areas.Count ? [.. areas[k], .. Continuation((uint)(20 + k), 0, (uint)(areas[k + 1].Length + (k + 2 < areas.Count ? 28 : 0)))] : areas[k]);
        return iso.RawEntry("l", Continuation(19, 0, (uint)(areas[0].Length + (areas.Count > 1 ? 28 : 0)))).Build();
    }

    [Fact]
    public void A_name_of_4096_characters_is_read_and_one_of_4097_refused()
    {
        Assert.NotNull(Open(LongName(4096)).Find(new string('n', 4096)));
        Assert.Equal("directory '/': Rock Ridge name or link longer than 4096 characters", Refusal(LongName(4097), "x"));
    }

    [Fact]
    public void Continuation_areas_count_against_the_bytes_one_lookup_may_read()
    {
        // The root (4 MiB) and a (4 MiB less 2047 bytes) leave 2047 bytes for a/f's continuation area.
        static byte[] Image(uint areaLength) => new CraftedIso().Directory("", paddedTo: 4 << 20).Directory("a", paddedTo: (4 << 20) - 2047)
            .File("area", [.. Name("f"), .. new byte[Sector - 6]]).RawEntry("a/e", Continuation(18 + 2 * 2048, 0, areaLength)).Build();
        Assert.NotNull(Open(Image(2047)).Find("a/f"));
        Assert.Equal("looking up 'a/f' reads more than 8388608 bytes of directories", Refusal(Image(2048), "a/f"));
    }

    [Fact]
    public void A_relocated_entry_without_a_name_field_is_not_listed_either()
    {
        var iso = Open(new CraftedIso().File("kept", "k").RawEntry("moved", Field("RE")).Build());
        Assert.Null(iso.Find("MOVED"));
        Assert.NotNull(iso.Find("kept"));
    }

    [Fact]
    public void A_link_ending_in_a_parent_component_is_followed()
    {
        // The last component, "..", is two bytes: flags and a zero length.
        var iso = Open(new CraftedIso().File("f", "top").Directory("d").Symlink("l", "d/..").Build());
        Assert.Equal("top", Read(iso, "l/f"));
    }

    /// <summary>A directory record of 34 bytes for a supplementary descriptor's root.</summary>
    private static (int, byte)[] RootRecord(uint lba, uint length) =>
        [(156, 34), (156 + 2, (byte)lba), (156 + 3, (byte)(lba >> 8)), (156 + 4, (byte)(lba >> 16)), (156 + 5, (byte)(lba >> 24)),
            (156 + 10, (byte)length), (156 + 11, (byte)(length >> 8)), (156 + 25, 2), (156 + 32, 1)];

    [Fact]
    public void The_first_joliet_descriptor_is_the_one_read_and_its_root_is_checked_against_the_image()
    {
        // With two more descriptors the root directory is sector 20; the second Joliet's root lies far past the image.
        var sound = Descriptor(2, [(88, 0x25), (89, 0x2F), (90, 0x45), .. RootRecord(20, 2048)]);
        var far = Descriptor(2, [(88, 0x25), (89, 0x2F), (90, 0x45), .. RootRecord(0x0100_0000, 2048)]);
        Assert.Null(Open(Build([sound, far])).Find("x"));
        Assert.Equal($"root directory extends past the end of the image ({0x0100_0000L * 2048 + 2048} > {22 * 2048} bytes)",
            Refusal(Build([Descriptor(3), far]), "x"));
    }

    [Fact]
    public void A_primary_root_past_the_end_of_the_image_is_refused_on_opening()
    {
        var image = Plain();
        Set32(image, PrimaryRoot + 2, 0x0100_0000);
        // The root directory's extent is its three records: 108 bytes.
        Assert.Equal($"root directory extends past the end of the image ({0x0100_0000L * 2048 + 108} > {20 * 2048} bytes)", OpenRefusal(image));
    }

    [Fact]
    public void A_continued_record_followed_by_another_name_is_listed_with_the_extents_it_has()
    {
        // "a" (34 bytes at 68) is flagged as continued, but "b" follows.
        var image = new CraftedIso(rockRidge: false).File("a", "first").File("b", "second").Build();
        image[RootSector + 68 + 25] = 0x80;
        var iso = Open(image);
        Assert.Equal("first", Read(iso, "a"));
        Assert.Equal("second", Read(iso, "b"));
    }

    [Fact]
    public void A_continuation_area_at_the_start_of_the_image_is_read()
    {
        // Block 0, offset 0: the system area's zeros, which hold no field; the plain name serves.
        Assert.NotNull(Open(new CraftedIso().RawEntry("l", Continuation(0, 0, 10)).Build()).Find("L"));
    }
}
