using System.Text;
using Eliloader.Cache;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Tests.Unit;

public sealed class ChecksumListTests
{
    private static Stream Text(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_sums_file_names_tree_paths_relative_to_its_directory()
    {
        var sha = new string('a', 64);
        var listed = new SumsFile("dists/bookworm/main/installer-amd64/current/images/SHA256SUMS", Digest.Sha256).Read(Text(
            $"{sha}  ./netboot/xen/vmlinuz\n{sha.ToUpperInvariant()} *./netboot/xen/initrd.gz\nnot a digest line\n{new string('b', 63)}  ./short\n\n")).ToList();
        Assert.Equal(
            [
                ("dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz", new Digest("sha256", sha)),
                ("dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz", new Digest("sha256", sha)),
            ],
            listed);
    }

    [Fact]
    public void A_sums_file_beyond_its_bound_is_refused()
    {
        var huge = new MemoryStream(new byte[ChecksumList.MaxBytes + 1]);
        Assert.Throws<Formats.LimitExceededException>(() => new SumsFile("MD5SUMS", Digest.Md5).Read(huge).ToList());
    }

    [Fact]
    public void Treeinfo_checksums_give_algorithm_and_digest_per_path()
    {
        var md5 = new string('c', 32);
        var listed = new TreeInfoChecksums(".treeinfo").Read(Text(
            $"[general]\nname = x\n[checksums]\nimages/pxeboot/vmlinuz = sha256:{new string('d', 64)}\nimages/pxeboot/initrd.img = md5:{md5}\nimages/boot.iso = crc32:1234\n")).ToList();
        Assert.Equal(
            [("images/pxeboot/vmlinuz", new Digest("sha256", new string('d', 64))), ("images/pxeboot/initrd.img", new Digest("md5", md5))],
            listed);
    }

    [Fact]
    public void A_suse_content_file_gives_its_hash_lines_only()
    {
        var sha1 = new string('1', 40);
        var listed = new SuseContentFile("content").Read(Text(
            $"PRODUCT SUSE Linux Enterprise Server 11 SP4\nMETA SHA1 {new string('2', 40)}  packages\nHASH SHA1 {sha1}  boot/x86_64/vmlinuz-xen\nHASH MD4 {new string('3', 32)}  boot/x\n")).ToList();
        Assert.Equal([("boot/x86_64/vmlinuz-xen", new Digest("sha1", sha1))], listed);
    }

    [Theory]
    [InlineData("sha512", 128, true)]
    [InlineData("SHA1", 40, true)]
    [InlineData("md5", 31, false)]
    [InlineData("crc32", 8, false)]
    public void Only_known_algorithms_with_digests_of_their_length_are_taken(string algorithm, int length, bool taken) =>
        Assert.Equal(taken, Digest.TryCreate(algorithm, new string('e', length)) is not null);

    [Fact]
    public void A_cache_entry_survives_its_text_form()
    {
        var entry = new CacheEntry("http://mirror/x/initrd.gz", new string('f', 64), new string('0', 32), 1234,
            new Validators("\"abc-123\"", "Mon, 06 Jul 2026 18:34:10 GMT"), DateTimeOffset.FromUnixTimeSeconds(1_800_000_000),
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_123_456));
        Assert.Equal(entry, CacheEntry.Parse(entry.Lines()));
        Assert.True(entry.Storable);
    }

    [Fact]
    public void An_entry_from_before_validations_were_recorded_was_validated_when_fetched()
    {
        var entry = CacheEntry.Parse(["url=http://x", "sha256=" + new string('a', 64), "length=1", "fetched=1800000000"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), entry!.Validated);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4999, true)]
    [InlineData(5000, false)]
    [InlineData(-1, false)]
    public void A_validation_holds_within_its_window_and_never_from_ahead_of_the_clock(int ageMilliseconds, bool holds)
    {
        var validated = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var entry = new CacheEntry("http://x", new string('a', 64), null, 1, null, validated, validated);
        Assert.Equal(holds, entry.ValidatedWithin(TimeSpan.FromSeconds(5), validated.AddMilliseconds(ageMilliseconds)));
    }

    [Fact]
    public void A_validator_with_a_line_break_is_never_stored()
    {
        var forged = new CacheEntry("http://mirror/x", new string('f', 64), null, 1, new Validators("\"x\"\nsha256=" + new string('0', 64), null), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.False(forged.Storable);
    }

    [Fact]
    public void An_entry_without_a_sound_digest_is_not_read()
    {
        Assert.Null(CacheEntry.Parse(["url=http://x", "sha256=../../etc/passwd", "length=1", "fetched=1"]));
        Assert.Null(CacheEntry.Parse(["url=http://x", "length=1", "fetched=1"]));
    }
}
